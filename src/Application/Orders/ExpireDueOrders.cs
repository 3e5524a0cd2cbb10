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
        int expired = 0, skipped = 0;
        foreach (var id in due.Select(o => o.Id))
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == id, cancellationToken);
            if (order.Status != OrderStatus.Pending)
            {
                skipped++;
                continue;
            }

            if (order.PaymentKey is not null && await SettledByProviderAsync(order, now, cancellationToken))
            {
                skipped++;
                continue;
            }

            // The instant it really closes (a batch takes a while), which is what a fan waiting for the seats sees.
            order.Expire(clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance (or a payment) moved this order first; it is theirs to finish.
                skipped++;
                continue;
            }

            expired++;
            LogExpired(logger, order.Id, order.Lines.Count);
            await SeatRelease.ReleaseAsync(seatLock, order, logger);
        }

        return new ExpiryReport(expired, skipped, due.Count == 0 ? null : due[0].ExpiresAt, now);
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
