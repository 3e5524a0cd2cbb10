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
/// <para>
/// It never asks the payment provider: an order with a payment attempt (its payment may be in flight, or approved
/// after a decline we saw) is handed to reconciliation instead (<see cref="Order.AwaitPaymentCheck"/>, due at once),
/// whose own job asks the provider per order. So one slow provider answer (up to the client's whole retry budget)
/// never delays the other expiries.
/// </para>
/// </summary>
public sealed record ExpireDueOrders(int BatchSize = ExpireDueOrders.DefaultBatchSize) : IRequest<ExpiryReport>
{
    public const int DefaultBatchSize = 500;
}

/// <param name="OldestDeadline">The earliest deadline among the orders this run found due; null when none was.</param>
/// <param name="SweptAt">The instant the run looked for due orders.</param>
/// <param name="HandedToReconciliation">Orders with a payment attempt handed to reconciliation instead of expiring.</param>
public sealed record ExpiryReport(int Expired, int Skipped, DateTimeOffset? OldestDeadline = null, DateTimeOffset? SweptAt = null, int HandedToReconciliation = 0)
{
    /// <summary>How long after the oldest due deadline the run found it; null when nothing was due.</summary>
    public TimeSpan? Lateness => OldestDeadline is { } deadline && SweptAt is { } swept ? swept - deadline : null;

    /// <summary>Every due order this run settled one way or another.</summary>
    public int Total => Expired + Skipped + HandedToReconciliation;

    public override string ToString() => $"expired {Expired}, skipped {Skipped}, handed to reconciliation {HandedToReconciliation}";
}

public sealed partial class ExpireDueOrdersHandler(
    IAppDbContext db,
    ISeatLock seatLock,
    PaymentCompletion completion,
    IOptions<PaymentPolicy> policy,
    TimeProvider clock,
    ILogger<ExpireDueOrdersHandler> logger,
    IReturnedSeats returnedSeats)
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

        // One save for the whole batch: one transaction instead of one per order keeps a crowd's deadlines on time.
        // Holds nobody tried to pay expire; orders with a payment attempt go to reconciliation, due now.
        db.ChangeTracker.Clear();
        var ids = due.Select(o => o.Id).ToList();
        var orders = await db.Orders.Include(o => o.Lines).Where(o => ids.Contains(o.Id)).ToListAsync(cancellationToken);
        var plain = orders.Where(o => o.Status == OrderStatus.Pending && o.PaymentKey is null).ToList();
        var attempted = orders.Where(o => o.Status == OrderStatus.Pending && o.PaymentKey is not null).ToList();
        int skipped = ids.Count - plain.Count - attempted.Count;

        // The instant they really close, which is what a fan waiting for the seats sees.
        var closedAt = clock.GetUtcNow();
        foreach (var order in plain)
        {
            order.Expire(closedAt);
        }

        foreach (var order in attempted)
        {
            order.AwaitPaymentCheck(closedAt, closedAt);
        }

        try
        {
            // Waitlist (issue 13.1): the save that frees the seats also offers those that go to the waitlist.
            await returnedSeats.SaveAsync(SeatReturn.Expiry, plain.Select(ReturnedOrderSeats.All).ToList(), cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance (or a payment) moved some of them first and nothing of this save was kept: settle
            // each order on its own, so that each goes to whoever won it.
            var (expired, handed, lost) = (0, 0, 0);
            foreach (var id in plain.Concat(attempted).Select(o => o.Id).ToList())
            {
                switch (await SettleOneAsync(id, cancellationToken))
                {
                    case Outcome.Expired: expired++; break;
                    case Outcome.Handed: handed++; break;
                    default: lost++; break;
                }
            }

            return new ExpiryReport(expired, skipped + lost, due[0].ExpiresAt, now, handed);
        }

        foreach (var order in plain)
        {
            LogExpired(logger, order.Id, order.Lines.Count);
            await SeatRelease.ReleaseAsync(seatLock, order, logger);
        }

        foreach (var order in attempted)
        {
            await HandedAsync(order);
        }

        return new ExpiryReport(plain.Count, skipped, due[0].ExpiresAt, now, attempted.Count);
    }

    private async Task<Outcome> SettleOneAsync(Guid id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == id, cancellationToken);
        if (order.Status != OrderStatus.Pending)
        {
            return Outcome.Skipped;
        }

        var handed = order.PaymentKey is not null;
        var at = clock.GetUtcNow();
        if (handed)
        {
            order.AwaitPaymentCheck(at, at);
        }
        else
        {
            order.Expire(at);
        }

        try
        {
            // Waitlist (issue 13.1): as in the batch, an expired order's seats may be offered in this same save.
            await returnedSeats.SaveAsync(SeatReturn.Expiry, handed ? Array.Empty<ReturnedOrderSeats>() : new[] { ReturnedOrderSeats.All(order) }, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance (or a payment) moved this order first; it is theirs to finish.
            return Outcome.Skipped;
        }

        if (handed)
        {
            await HandedAsync(order);
            return Outcome.Handed;
        }

        LogExpired(logger, order.Id, order.Lines.Count);
        await SeatRelease.ReleaseAsync(seatLock, order, logger);
        return Outcome.Expired;
    }

    /// <summary>
    /// The seats stay held while reconciliation asks the provider (at most <see cref="PaymentPolicy.MaxUnknownHold"/>
    /// past the deadline, as for any unknown outcome), so a payment approved after all finds its seats.
    /// </summary>
    private async Task HandedAsync(Order order)
    {
        LogHanded(logger, order.Id);
        await completion.ExtendLockAsync(order, order.ExpiresAt + policy.Value.MaxUnknownHold);
    }

    private enum Outcome
    {
        Expired,
        Handed,
        Skipped,
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Order {OrderId} expired; {Count} seats released")]
    private static partial void LogExpired(ILogger logger, Guid orderId, int count);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Order {OrderId} reached its deadline with a payment attempt; handed to reconciliation")]
    private static partial void LogHanded(ILogger logger, Guid orderId);
}
