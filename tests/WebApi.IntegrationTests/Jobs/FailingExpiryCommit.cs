using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Ticketing.Domain.Orders;

namespace Ticketing.WebApi.IntegrationTests.Jobs;

/// <summary>Test-only: fails the next <see cref="Failures"/> saves that expire an order, as a database outage at commit would.</summary>
internal sealed class FailingExpiryCommit : SaveChangesInterceptor
{
    private int _failures;

    public int Failures
    {
        get => Volatile.Read(ref _failures);
        set => Volatile.Write(ref _failures, value);
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context!.ChangeTracker.Entries<Order>().Any(e => e.State == EntityState.Modified && e.Entity.Status == OrderStatus.Expired)
            && Interlocked.Decrement(ref _failures) >= 0)
        {
            throw new DbUpdateException("Injected failure: the expiry's commit did not happen.");
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}
