using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Payments;

/// <summary>
/// A fan confirms the payment the widget authorized. <paramref name="IdempotencyKey"/> is the client's optional
/// <c>Idempotency-Key</c> header: a repeat with the same key gets the first answer.
/// </summary>
/// <remarks>
/// Paying needs no waiting-room pass, even on a paced performance: the order carries its admission. The pass was
/// checked when the seats were held, and it covers choosing seats only; the hold's deadline covers paying. A pass
/// that expired while the fan was on the payment window must not refuse a payment the card already authorized.
/// </remarks>
public sealed record ConfirmPayment(Guid FanId, string? PaymentKey, string? OrderId, long? Amount, string? IdempotencyKey = null)
    : IRequest<Result<PaymentResultDto>>;

public sealed class ConfirmPaymentValidator : AbstractValidator<ConfirmPayment>
{
    public ConfirmPaymentValidator()
    {
        RuleFor(x => x.PaymentKey).NotEmpty().MaximumLength(Order.MaxPaymentKeyLength);
        RuleFor(x => x.OrderId).NotEmpty().Matches("^[A-Za-z0-9_-]{6,64}$").WithMessage("The orderId is 6 to 64 letters, digits, '-' or '_'.");
        RuleFor(x => x.Amount).NotNull().GreaterThan(0);
        RuleFor(x => x.IdempotencyKey).MaximumLength(IdempotencyRecord.MaxKeyLength)
            .Must(k => k is null || k.Trim().Length > 0).WithMessage("The Idempotency-Key header is empty.");
    }
}

public sealed partial class ConfirmPaymentHandler(
    IAppDbContext db,
    IPaymentGateway gateway,
    PaymentCompletion completion,
    IMapper mapper,
    IUniqueViolationDetector uniqueViolations,
    TimeProvider clock,
    IOptions<PaymentPolicy> policy,
    ILogger<ConfirmPaymentHandler> logger) : IRequestHandler<ConfirmPayment, Result<PaymentResultDto>>
{
    public const string IdempotencyScope = "payments.confirm";

    /// <summary>Provider codes that mean our configuration is wrong, not the fan's card.</summary>
    private static readonly HashSet<string> ConfigurationCodes =
        ["UNAUTHORIZED_KEY", "INVALID_API_KEY", "INCORRECT_BASIC_AUTH_FORMAT", "FORBIDDEN_REQUEST", "INVALID_REQUEST", "INVALID_IDEMPOTENCY_KEY"];

    public async Task<Result<PaymentResultDto>> Handle(ConfirmPayment request, CancellationToken cancellationToken)
    {
        var paymentKey = request.PaymentKey!;
        if (!OrderMapping.TryParseNumber(request.OrderId, out var orderId))
        {
            return OrderErrors.NotFound;
        }

        var order = await db.Orders.Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == orderId && o.FanId == request.FanId, cancellationToken);
        if (order is null)
        {
            return OrderErrors.NotFound;
        }

        IdempotencyRecord? record = null;
        if (request.IdempotencyKey is { } key)
        {
            var claimed = await ClaimKeyAsync(request, key.Trim(), cancellationToken);
            if (!claimed.IsSuccess)
            {
                return claimed.Error!;
            }

            if (claimed.Value.Replay is { } replay)
            {
                return replay;
            }

            record = claimed.Value.Record;
        }

        var result = await ConfirmAsync(order, paymentKey, request.Amount!.Value, record, cancellationToken);
        if (record is not null)
        {
            await SettleRecordAsync(record.Id, result);
        }

        return result;
    }

    private async Task<Result<PaymentResultDto>> ConfirmAsync(Order order, string paymentKey, long amount, IdempotencyRecord? record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();

        // The same paymentKey again: answer what we know without asking the provider a second time.
        if (order.PaymentKey == paymentKey)
        {
            if (order.Status == OrderStatus.Paid)
            {
                var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == order.Id, cancellationToken);
                var tickets = await db.Tickets.AsNoTracking().Where(t => t.OrderId == order.Id).ToListAsync(cancellationToken);
                return mapper.Paid(order, payment, tickets);
            }

            if (order.Status == OrderStatus.PaymentPending)
            {
                return mapper.Pending(order);
            }
        }

        switch (order.Status)
        {
            case OrderStatus.Paid:
                return Error.Conflict("payment.already_paid", "This order is already paid with another payment.");
            case OrderStatus.PaymentPending:
                return Error.Conflict("payment.in_progress", "Another payment for this order is being processed; read the order again shortly.");
        }

        if (amount != order.TotalAmount)
        {
            return Error.Validation("payment.amount_mismatch", "The amount does not match the order total.", new Dictionary<string, string[]>
            {
                ["amount"] = [$"The order total is {order.TotalAmount}."],
            });
        }

        if (order.Status != OrderStatus.Pending || now >= order.ExpiresAt)
        {
            return Error.Conflict("order.not_payable", $"The order is {OrderMapping.DisplayedStatus(order, now).StatusName()}; only a pending hold can be paid.");
        }

        order.BeginPayment(paymentKey, now, now + policy.Value.CheckAfter);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("order.changed", "The order changed while the payment started; read it again.");
        }

        await completion.ExtendLockAsync(order, order.ExpiresAt > order.PaymentCheckAt!.Value ? order.ExpiresAt : order.PaymentCheckAt.Value);

        // From here on the fan leaving must not abandon a payment half-way: the provider call runs to its end.
        var outcome = await gateway.ConfirmAsync(paymentKey, order.Number, order.TotalAmount, CancellationToken.None);
        LogOutcome(logger, order.Id, outcome.Kind.ToString(), outcome.Code ?? "-");
        switch (outcome.Kind)
        {
            case GatewayOutcomeKind.Approved:
                return await completion.CompleteAsync(order, outcome.Payment!, record, CancellationToken.None);

            case GatewayOutcomeKind.Unknown:
            {
                // Seats stay held past the normal deadline while reconciliation finds out.
                PaymentMetrics.Unknown();
                await completion.ExtendLockAsync(order, order.ExpiresAt + policy.Value.MaxUnknownHold);
                return mapper.Pending(order);
            }

            default:
            {
                // A final answer without a payment: the order is payable again (another card) until its deadline.
                order.PaymentDeclined(clock.GetUtcNow());
                var code = outcome.Code ?? outcome.Payment?.Status ?? "DECLINED";
                var unavailable = ConfigurationCodes.Contains(code);
                if (unavailable)
                {
                    PaymentMetrics.ProviderUnavailable();
                }
                else
                {
                    PaymentMetrics.Declined();
                }

                var error = unavailable
                    ? Error.Unavailable("payment.provider_unavailable", "Payments are not available right now. Nothing was charged.", TimeSpan.FromSeconds(30))
                        with { Data = new Dictionary<string, object?> { ["tossCode"] = code } }
                    : new Error(ErrorKind.PaymentRequired, "payment.declined", outcome.Message ?? "The payment was declined. Nothing was charged; you may try another card.")
                    {
                        Data = new Dictionary<string, object?> { ["tossCode"] = code, ["orderId"] = order.Number },
                    };
                await SaveDeclineAsync(order);
                return error;
            }
        }
    }

    /// <summary>
    /// Makes a declined order payable again. Reconciliation may have looked at the order while the provider was still
    /// answering (a confirm slower than <c>Payments:CheckAfterSeconds</c>): then the decline is applied to what it
    /// saved, and if the order has moved on (reconciliation settled it), the order stays as it is: nothing was charged
    /// either way, so the fan's answer is still the decline.
    /// </summary>
    private async Task SaveDeclineAsync(Order order)
    {
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
        }

        var current = await db.Orders.SingleAsync(o => o.Id == order.Id, CancellationToken.None);
        if (current.Status != OrderStatus.PaymentPending || current.PaymentKey != order.PaymentKey)
        {
            return;
        }

        current.PaymentDeclined(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Reconciliation again, at this very moment: it settles the order from the provider's answer itself.
            db.ChangeTracker.Clear();
        }
    }

    private async Task<Result<(IdempotencyRecord? Record, Result<PaymentResultDto>? Replay)>> ClaimKeyAsync(ConfirmPayment request, string key, CancellationToken cancellationToken)
    {
        var fingerprint = $"{request.OrderId}|{request.PaymentKey}|{request.Amount}";
        var now = clock.GetUtcNow();
        var record = IdempotencyRecord.Start(request.FanId, IdempotencyScope, key, fingerprint, now);
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return (record, null);
        }
        catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
        {
            db.IdempotencyRecords.Remove(record);
            db.ChangeTracker.Entries<IdempotencyRecord>().ToList().ForEach(e => e.State = EntityState.Detached);
        }

        var existing = await db.IdempotencyRecords
            .SingleAsync(r => r.UserId == request.FanId && r.Scope == IdempotencyScope && r.Key == key, cancellationToken);
        if (existing.RequestFingerprint != fingerprint)
        {
            return Error.Conflict("idempotency.key_reused", "This Idempotency-Key was used for a different request.");
        }

        if (existing.Response is { } response)
        {
            return (null, StoredOutcome.Replay(response));
        }

        // A first request still running answers 409; one abandoned long ago (its process died) is taken over.
        return now - existing.CreatedAt < policy.Value.CheckAfter
            ? Error.Conflict("idempotency.in_progress", "A request with this Idempotency-Key is still being processed; retry shortly.")
            : (existing, null);
    }

    /// <summary>
    /// Keeps the answer under the key when it is final (<see cref="IdempotentOutcome"/>), and deletes the record
    /// otherwise, so that a retry with the same key is processed again instead of replaying a transient answer. A
    /// payment that committed its record with its own transaction is left as it is.
    /// </summary>
    private async Task SettleRecordAsync(long recordId, Result<PaymentResultDto> result)
    {
        // Whatever the confirmation left tracked is saved or abandoned by now; a stale order left behind by a race
        // with reconciliation must not be saved again with the record (it would fail the whole answer).
        db.ChangeTracker.Clear();

        var stored = await db.IdempotencyRecords.SingleOrDefaultAsync(r => r.Id == recordId, CancellationToken.None);
        if (stored is null || stored.CompletedAt is not null)
        {
            return;
        }

        if (IdempotentOutcome.IsFinal(result))
        {
            stored.Complete(result.IsSuccess ? StoredOutcome.Of(result.Value) : StoredOutcome.Of(result.Error!), clock.GetUtcNow());
        }
        else
        {
            db.IdempotencyRecords.Remove(stored);
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Order {OrderId}: confirmation answered {Outcome} ({Code})")]
    private static partial void LogOutcome(ILogger logger, Guid orderId, string outcome, string code);
}
