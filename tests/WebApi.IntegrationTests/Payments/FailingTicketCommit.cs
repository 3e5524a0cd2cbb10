using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Ticketing.Domain.Tickets;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>Test-only: fails the next <see cref="Failures"/> saves that issue tickets, as a database outage at commit would.</summary>
internal sealed class FailingTicketCommit : SaveChangesInterceptor
{
    private int _failures;

    public int Failures
    {
        get => Volatile.Read(ref _failures);
        set => Volatile.Write(ref _failures, value);
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context!.ChangeTracker.Entries<Ticket>().Any(e => e.State == EntityState.Added) && Interlocked.Decrement(ref _failures) >= 0)
        {
            throw new DbUpdateException("Injected failure: the commit of the paid order did not happen.");
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}
