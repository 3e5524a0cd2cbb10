using MapsterMapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Text.Json;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;

namespace Ticketing.Application.Payments;

/// <summary>
/// What happens once the provider has spoken, shared by the confirmation, reconciliation and expiry: record an
/// approved payment (order paid, tickets, payment row, in one transaction) and sell the seats, or compensate when
/// that commit fails; release an order that will not be paid; refund a payment that came too late.
/// </summary>
public sealed partial class PaymentCompletion(
    IAppDbContext db,
    IPaymentGateway gateway,
    ISeatLock seatLock,
    IMapper mapper,
    TimeProvider clock,
    IOptions<PaymentPolicy> policy,
    ILogger<PaymentCompletion> logger)
{
    public static readonly TimeSpan LockGrace = TimeSpan.FromSeconds(30);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The provider approved <paramref name="payment"/> for <paramref name="order"/> (tracked, with its lines).
    /// Commits Paid + tickets + payment (+ the idempotency record) at once, then turns the seat locks into sold seats.
    /// If the commit fails the payment is cancelled at the provider, so nobody pays for seats they do not get.
    /// </summary>
    public async Task<Result<PaymentResultDto>> CompleteAsync(Order order, GatewayPayment payment, IdempotencyRecord? record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (payment.TotalAmount != order.TotalAmount || payment.OrderId != order.Number)
        {
            // Never record a payment that does not match the order; refund it instead.
            LogMismatch(logger, order.Id, payment.TotalAmount, order.TotalAmount);
            return await CompensateAsync(order, payment, cancellationToken);
        }

        var startsAt = await db.Performances.AsNoTracking().Where(p => p.Id == order.PerformanceId).Select(p => p.StartsAt).SingleAsync(cancellationToken);
        var tickets = order.MarkPaid(now, startsAt, RefundSchedule.Standard);
        var row = Payment.Approved(order.Id, payment.PaymentKey, payment.TotalAmount, payment.Method, payment.ApprovedAt?.ToUniversalTime() ?? now);
        db.Tickets.AddRange(tickets);
        db.Payments.Add(row);
        var result = mapper.Paid(order, row, tickets);
        record?.Complete(StoredOutcome.Of(result), now);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else moved the order first. If they recorded this very payment, that is our answer too;
            // otherwise the order let its seats go and the payment must not stay charged.
            db.ChangeTracker.Clear();
            var current = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == order.Id, CancellationToken.None);
            var recorded = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.OrderId == order.Id, CancellationToken.None);
            if (current.Status == OrderStatus.Paid && recorded?.PaymentKey == payment.PaymentKey)
            {
                var issued = await db.Tickets.AsNoTracking().Where(t => t.OrderId == order.Id).ToListAsync(CancellationToken.None);
                return mapper.Paid(current, recorded, issued);
            }

            return await CompensateAsync(order, payment, cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            LogCommitFailed(logger, ex, order.Id, payment.PaymentKey);
            return await CompensateAsync(order, payment, cancellationToken);
        }

        LogPaid(logger, order.Id, payment.PaymentKey, payment.TotalAmount);
        PaymentMetrics.Paid();
        var seatIds = order.Lines.Select(l => l.SeatId).ToList();
        try
        {
            if (!await seatLock.MarkSoldAsync(order.PerformanceId, seatIds, order.Number, CancellationToken.None))
            {
                LogSoldLockLost(logger, order.Id);
            }
        }
        catch (SeatLockUnavailableException ex)
        {
            // The tickets' unique index is the lasting guarantee; the lock store only keeps the crowd away.
            LogSoldLockFailed(logger, ex, order.Id);
        }

        return result;
    }

    /// <summary>The order will not be paid: its seats return to sale.</summary>
    public async Task<bool> ReleaseAsync(Order order, bool keepChecking, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        order.ReleaseUnpaid(now, keepChecking);
        if (keepChecking)
        {
            order.DeferPaymentCheck(now, now + policy.Value.NextCheckDelay(order.PaymentChecks));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        LogReleased(logger, order.Id, keepChecking);
        await SeatRelease.ReleaseAsync(seatLock, order, logger);
        return true;
    }

    /// <summary>
    /// A payment approved for an order that no longer holds its seats (expired or released): refund it in full,
    /// record it as refunded, and settle the order's open question.
    /// </summary>
    public async Task<bool> RefundLateAsync(Order order, GatewayPayment payment, CancellationToken cancellationToken)
    {
        const string reason = "The order had expired and its seats were released before the payment was confirmed.";
        var cancel = await gateway.CancelAsync(payment.PaymentKey, $"late-{order.Number}", reason, null, cancellationToken);
        if (cancel.Kind != GatewayOutcomeKind.Cancelled)
        {
            LogLateRefundPending(logger, order.Id, cancel.Kind.ToString(), cancel.Code ?? "-");
            return false;
        }

        var now = clock.GetUtcNow();
        if (!await db.Payments.AnyAsync(p => p.OrderId == order.Id, cancellationToken))
        {
            var row = Payment.Approved(order.Id, payment.PaymentKey, payment.TotalAmount, payment.Method, payment.ApprovedAt?.ToUniversalTime() ?? now);
            row.Refunded(row.BalanceAmount, reason, now);
            db.Payments.Add(row);
        }

        order.PaymentSettled(now);
        await db.SaveChangesAsync(cancellationToken);
        LogLateRefunded(logger, order.Id, payment.PaymentKey, payment.TotalAmount);
        PaymentMetrics.LateRefunded();
        return true;
    }

    /// <summary>Keeps the order's seats locked until <paramref name="until"/> (plus a grace), so the lock never frees seats the database still holds.</summary>
    public async Task ExtendLockAsync(Order order, DateTimeOffset until)
    {
        var ttl = until - clock.GetUtcNow() + LockGrace;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            if (!await seatLock.ExtendAsync(order.PerformanceId, order.Lines.Select(l => l.SeatId).ToList(), order.Number, ttl, CancellationToken.None))
            {
                LogExtendLost(logger, order.Id);
            }
        }
        catch (SeatLockUnavailableException ex)
        {
            LogExtendFailed(logger, ex, order.Id);
        }
    }

    private async Task<Result<PaymentResultDto>> CompensateAsync(Order order, GatewayPayment payment, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var cancel = await gateway.CancelAsync(payment.PaymentKey, $"void-{order.Number}", "The order could not be recorded; the payment is voided.", null, CancellationToken.None);
        var error = Error.Unavailable("payment.not_recorded", "The payment was approved but could not be recorded, so it is being cancelled. Nothing stays charged; hold the seats again and retry.", TimeSpan.FromSeconds(5));
        if (cancel.Kind != GatewayOutcomeKind.Cancelled)
        {
            // The order stays PaymentPending with its check time: reconciliation finds the payment and settles it.
            LogCompensationPending(logger, order.Id, cancel.Kind.ToString(), cancel.Code ?? "-");
            return error;
        }

        LogCompensated(logger, order.Id, payment.PaymentKey);
        PaymentMetrics.Compensated();
        try
        {
            var fresh = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == order.Id, cancellationToken);
            if (fresh.Status is OrderStatus.PaymentPending or OrderStatus.Pending)
            {
                // The idempotency record is not completed: this answer is not final (the confirmation settles it).
                fresh.ReleaseUnpaid(clock.GetUtcNow(), keepChecking: false);
                await db.SaveChangesAsync(cancellationToken);
                await SeatRelease.ReleaseAsync(seatLock, fresh, logger);
            }
        }
        catch (DbUpdateException ex)
        {
            // Still failing: reconciliation finds the cancelled payment and releases the order.
            LogCommitFailed(logger, ex, order.Id, payment.PaymentKey);
            db.ChangeTracker.Clear();
        }

        return error;
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Order {OrderId} paid with {PaymentKey} ({Amount} won)")]
    private static partial void LogPaid(ILogger logger, Guid orderId, string paymentKey, long amount);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Order {OrderId}: recording approved payment {PaymentKey} failed; cancelling it at the provider")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, Guid orderId, string paymentKey);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Order {OrderId}: payment {PaymentKey} cancelled at the provider after our commit failed")]
    private static partial void LogCompensated(ILogger logger, Guid orderId, string paymentKey);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Order {OrderId}: the compensating cancel did not complete ({Outcome}, {Code}); reconciliation will settle it")]
    private static partial void LogCompensationPending(ILogger logger, Guid orderId, string outcome, string code);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Order {OrderId}: seat locks were no longer all its own when sold; the tickets stand")]
    private static partial void LogSoldLockLost(ILogger logger, Guid orderId);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Order {OrderId}: could not mark seat locks sold")]
    private static partial void LogSoldLockFailed(ILogger logger, Exception exception, Guid orderId);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "Order {OrderId} released unpaid (still checking the provider: {KeepChecking})")]
    private static partial void LogReleased(ILogger logger, Guid orderId, bool keepChecking);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Order {OrderId}: late payment {PaymentKey} ({Amount} won) refunded")]
    private static partial void LogLateRefunded(ILogger logger, Guid orderId, string paymentKey, long amount);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "Order {OrderId}: late refund not done yet ({Outcome}, {Code}); will retry")]
    private static partial void LogLateRefundPending(ILogger logger, Guid orderId, string outcome, string code);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Error, Message = "Order {OrderId}: the provider approved {Approved} won but the order totals {Total}; refunding")]
    private static partial void LogMismatch(ILogger logger, Guid orderId, long approved, long total);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Order {OrderId}: seat locks were no longer all its own when extended")]
    private static partial void LogExtendLost(ILogger logger, Guid orderId);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Order {OrderId}: could not extend seat locks")]
    private static partial void LogExtendFailed(ILogger logger, Exception exception, Guid orderId);
}

/// <summary>The response stored with an idempotency record, replayed for a repeat of the same key.</summary>
internal sealed record StoredOutcome(PaymentResultDto? Value, ErrorKind? Kind, string? Code, string? Message, Dictionary<string, string?>? Data)
{
    public static string Of(PaymentResultDto value) => JsonSerializer.Serialize(new StoredOutcome(value, null, null, null, null), PaymentCompletion.Json);

    public static string Of(Error error) => JsonSerializer.Serialize(
        new StoredOutcome(null, error.Kind, error.Code, error.Message, error.Data?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString())),
        PaymentCompletion.Json);

    public static Result<PaymentResultDto> Replay(string json)
    {
        var stored = JsonSerializer.Deserialize<StoredOutcome>(json, PaymentCompletion.Json)!;
        return stored.Value is not null
            ? stored.Value
            : new Error(stored.Kind ?? ErrorKind.Conflict, stored.Code ?? "error", stored.Message ?? string.Empty)
            {
                Data = stored.Data?.ToDictionary(kv => kv.Key, kv => (object?)kv.Value),
            };
    }
}
