using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Payments;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Orders;

/// <summary>
/// Closes every pending order past its deadline and frees its seats. Run every second by the scheduler.
/// Each order's transition is guarded by its version, so two instances running this at once expire each order
/// exactly once: the second save finds the version moved and skips the order.
/// </summary>
public sealed record ExpireDueOrders(int BatchSize = ExpireDueOrders.DefaultBatchSize) : IRequest<ExpiryReport>
{
    public const int DefaultBatchSize = 500;
}

/// <param name="OldestDeadline">The earliest deadline among the orders this run found due; null when none was.</param>
/// <param name="SweptAt">The instant the run looked for due orders.</param>
public sealed record ExpiryReport(int Expired, int Skipped, DateTimeOffset? OldestDeadline = null, DateTimeOffset? SweptAt = null)
{
    /// <summary>How long after the oldest due deadline the run found it; null when nothing was due.</summary>
    public TimeSpan? Lateness => OldestDeadline is { } deadline && SweptAt is { } swept ? swept - deadline : null;

    public override string ToString() => $"expired {Expired}, skipped {Skipped}";
}

public sealed partial class ExpireDueOrdersHandler(
    IAppDbContext db,
    ISeatLock seatLock,
    IPaymentGateway gateway,
    PaymentCompletion completion,
    IOptions<PaymentPolicy> policy,
    TimeProvider clock,
    ILogger<ExpireDueOrdersHandler> logger)
    : IRequestHandler<ExpireDueOrders, ExpiryReport>
{
    public async Task<ExpiryReport> Handle(ExpireDueOrders request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Pending && o.ExpiresAt <= now)
            .OrderBy(o => o.ExpiresAt)
            .Select(o => new { o.Id, o.ExpiresAt })
            .Take(request.BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return new ExpiryReport(0, 0, null, now);
        }

        // The common case, holds nobody tried to pay, closes in one save: one transaction instead of one per order
        // keeps a crowd's deadlines on time. Orders with a payment attempt ask the provider first, one at a time.
        db.ChangeTracker.Clear();
        var ids = due.Select(o => o.Id).ToList();
        var orders = await db.Orders.Include(o => o.Lines).Where(o => ids.Contains(o.Id)).ToListAsync(cancellationToken);
        var plain = orders.Where(o => o.Status == OrderStatus.Pending && o.PaymentKey is null).ToList();
        var one = orders.Where(o => o.Status == OrderStatus.Pending && o.PaymentKey is not null).Select(o => o.Id).ToList();
        int expired = 0, skipped = ids.Count - plain.Count - one.Count;

        // The instant they really close, which is what a fan waiting for the seats sees.
        var closedAt = clock.GetUtcNow();
        foreach (var order in plain)
        {
            order.Expire(closedAt);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            expired += plain.Count;
            foreach (var order in plain)
            {
                LogExpired(logger, order.Id, order.Lines.Count);
                await SeatRelease.ReleaseAsync(seatLock, order, logger);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance (or a payment) moved some of them first and nothing of this save was kept: settle
            // each order on its own, so that each goes to whoever won it.
            one.AddRange(plain.Select(o => o.Id));
        }

        foreach (var id in one)
        {
            if (await ExpireOneAsync(id, now, cancellationToken))
            {
                expired++;
            }
            else
            {
                skipped++;
            }
        }

        return new ExpiryReport(expired, skipped, due[0].ExpiresAt, now);
    }

    private async Task<bool> ExpireOneAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == id, cancellationToken);
        if (order.Status != OrderStatus.Pending)
        {
            return false;
        }

        if (order.PaymentKey is not null && await SettledByProviderAsync(order, now, cancellationToken))
        {
            return false;
        }

        order.Expire(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance (or a payment) moved this order first; it is theirs to finish.
            return false;
        }

        LogExpired(logger, order.Id, order.Lines.Count);
        await SeatRelease.ReleaseAsync(seatLock, order, logger);
        return true;
    }

    /// <summary>
    /// A confirmation was attempted on this order: before its seats go, ask the provider whether it was paid after
    /// all. Approved → the order completes; unknown → reconciliation takes over and the seats stay held; otherwise
    /// false, and the order expires.
    /// </summary>
    private async Task<bool> SettledByProviderAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = await gateway.GetByOrderIdAsync(order.Number, cancellationToken);
        try
        {
            switch (outcome.Kind)
            {
                case GatewayOutcomeKind.Approved:
                    await completion.CompleteAsync(order, outcome.Payment!, null, cancellationToken);
                    return true;
                case GatewayOutcomeKind.Unknown:
                    order.AwaitPaymentCheck(now, now + policy.Value.NextCheckDelay(0));
                    await db.SaveChangesAsync(cancellationToken);
                    await completion.ExtendLockAsync(order, order.ExpiresAt + policy.Value.MaxUnknownHold);
                    return true;
                default:
                    return false;
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            return true;
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Order {OrderId} expired; {Count} seats released")]
    private static partial void LogExpired(ILogger logger, Guid orderId, int count);
}
