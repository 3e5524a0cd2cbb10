using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Payments;

/// <summary>How one send of a refund's cancel ended.</summary>
public enum RefundSendResult
{
    /// <summary>Toss refunded: tickets voided, seats back on sale, refund done.</summary>
    Refunded,

    /// <summary>Toss refused for good: the refund is failed with its code; nothing was refunded.</summary>
    Refused,

    /// <summary>No known outcome: the refund is resent later under the same key.</summary>
    Unknown,

    /// <summary>No known outcome on the last allowed attempt: abandoned for an administrator.</summary>
    Abandoned,
}

/// <summary>
/// Sends a refund's cancel to the provider under the refund's own key (<c>cancel:{refundId}</c>, the same on every
/// send, so Toss refunds once) and records the outcome. Used by the fan's cancellation and by
/// <see cref="RetryPendingRefunds"/>, so both settle a refund the same way.
/// </summary>
public sealed partial class RefundSettlement(
    IAppDbContext db,
    IPaymentGateway gateway,
    ISeatLock seatLock,
    TimeProvider clock,
    IOptions<PaymentPolicy> policy,
    ILogger<RefundSettlement> logger,
    IReturnedSeats returnedSeats)
{
    public const string Reason = "Cancelled by the fan";

    /// <summary>
    /// Sends the cancel of an open <paramref name="refund"/> of the tracked <paramref name="order"/> (with its lines) and
    /// saves the outcome. A concurrent settlement of the same refund surfaces as <see cref="DbUpdateConcurrencyException"/>
    /// (the order's version): the other one recorded it.
    /// </summary>
    public async Task<(RefundSendResult Result, GatewayOutcome Outcome)> SendAsync(Order order, Refund refund, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.SingleAsync(p => p.OrderId == order.Id, cancellationToken);
        var whole = refund.Amount == payment.BalanceAmount;
        var outcome = refund.Amount == 0
            ? new GatewayOutcome(GatewayOutcomeKind.Cancelled)
            : await gateway.CancelAsync(payment.PaymentKey, refund.Id.ToString("N"), Reason, whole ? null : refund.Amount, CancellationToken.None);
        var now = clock.GetUtcNow();
        switch (outcome.Kind)
        {
            case GatewayOutcomeKind.Cancelled:
                break;
            case GatewayOutcomeKind.Refused:
                refund.Fail(now, outcome.Code);
                foreach (var ticket in await RefundedTicketsAsync(order, refund, cancellationToken))
                {
                    ticket.RefundRefused();
                }

                await db.SaveChangesAsync(CancellationToken.None);
                LogRefused(logger, order.Id, refund.Id, outcome.Code ?? "-");
                return (RefundSendResult.Refused, outcome);
            default:
                refund.OutcomeUnknown(now, outcome.Code, policy.Value.NextCheckDelay(refund.Attempts), policy.Value.RefundMaxAttempts);
                await db.SaveChangesAsync(CancellationToken.None);
                if (refund.Status == RefundStatus.Abandoned)
                {
                    LogAbandoned(logger, order.Id, refund.Id, refund.Attempts, outcome.Code ?? "-");
                    return (RefundSendResult.Abandoned, outcome);
                }

                LogUnknown(logger, order.Id, refund.Id, refund.Attempts, outcome.Code ?? "-", refund.NextAttemptAt!.Value);
                return (RefundSendResult.Unknown, outcome);
        }

        var seatIds = refund.SeatIdList();
        var tickets = await RefundedTicketsAsync(order, refund, cancellationToken);
        order.SeatsRefunded(seatIds, refund.Amount, now);
        foreach (var ticket in tickets)
        {
            ticket.Void(now);
        }

        if (refund.Amount > 0)
        {
            payment.Refunded(refund.Amount, Reason, now);
        }

        refund.Complete(now);

        // Waitlist (issue 13.1): the save that returns the seats also offers them to the waitlist when they go there.
        await returnedSeats.SaveAsync(SeatReturn.Refund, [new ReturnedOrderSeats(order, seatIds)], CancellationToken.None);
        LogRefunded(logger, order.Id, seatIds.Count, refund.Amount, refund.FeeAmount);
        PaymentMetrics.Refunded();
        try
        {
            await seatLock.ReleaseSoldAsync(order.PerformanceId, seatIds, order.Number, CancellationToken.None);
        }
        catch (SeatLockUnavailableException ex)
        {
            // The database already sells the seats again; the lock store's sold keys are cleared by the next try.
            LogReleaseFailed(logger, ex, order.Id);
        }

        return (RefundSendResult.Refunded, outcome);
    }

    /// <summary>The tickets of the refund's seats that are waiting for its outcome.</summary>
    private async Task<List<Ticket>> RefundedTicketsAsync(Order order, Refund refund, CancellationToken cancellationToken)
    {
        var seatIds = refund.SeatIdList();
        return await db.Tickets
            .Where(t => t.OrderId == order.Id && seatIds.Contains(t.SeatId) && t.Status == TicketStatus.RefundPending)
            .ToListAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 4500, Level = LogLevel.Information, Message = "Order {OrderId}: {Seats} seats cancelled, {Amount} won refunded ({Fee} won fee)")]
    private static partial void LogRefunded(ILogger logger, Guid orderId, int seats, long amount, long fee);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Order {OrderId}: could not return the refunded seats' locks")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid orderId);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Order {OrderId}: refund {RefundId} refused by the provider ({Code})")]
    private static partial void LogRefused(ILogger logger, Guid orderId, Guid refundId, string code);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "Order {OrderId}: refund {RefundId} outcome unknown after attempt {Attempt} ({Code}); resent at {NextAttemptAt:O}")]
    private static partial void LogUnknown(ILogger logger, Guid orderId, Guid refundId, int attempt, string code, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Error, Message = "Order {OrderId}: refund {RefundId} abandoned after {Attempts} attempts without a known outcome ({Code}); an administrator must settle it")]
    private static partial void LogAbandoned(ILogger logger, Guid orderId, Guid refundId, int attempts, string code);
}
