using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Payments;

/// <summary>
/// Settles the orders whose payment outcome is open (<see cref="Order.PaymentCheckAt"/> due): asks the provider for
/// the order's payment and completes it (paid + tickets), releases it (no approved payment), refunds a late payment
/// of an order that no longer has its seats, or asks again later with backoff. Run by the scheduler; each order's
/// transition is guarded by its version, so concurrent runs settle each order once. With <paramref name="OrderIds"/>
/// only those orders are looked at (each still only when due): the scheduler settles each due order in a request of
/// its own, several at once, so that one slow answer from the provider delays no other order.
/// </summary>
public sealed record ReconcilePayments(int BatchSize = ReconcilePayments.DefaultBatchSize, IReadOnlyList<Guid>? OrderIds = null) : IRequest<ReconciliationReport>
{
    public const int DefaultBatchSize = 200;
}

public sealed record ReconciliationReport(int Paid, int Released, int Refunded, int Deferred, int Skipped)
{
    public int Total => Paid + Released + Refunded + Deferred + Skipped;
}

public sealed partial class ReconcilePaymentsHandler(
    IAppDbContext db,
    IPaymentGateway gateway,
    PaymentCompletion completion,
    TimeProvider clock,
    IOptions<PaymentPolicy> policy,
    ILogger<ReconcilePaymentsHandler> logger) : IRequestHandler<ReconcilePayments, ReconciliationReport>
{
    public async Task<ReconciliationReport> Handle(ReconcilePayments request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var query = db.Orders.AsNoTracking().Where(o => o.PaymentCheckAt != null && o.PaymentCheckAt <= now);
        if (request.OrderIds is { } only)
        {
            query = query.Where(o => only.Contains(o.Id));
        }

        var dueIds = await query
            .OrderBy(o => o.PaymentCheckAt)
            .Select(o => o.Id)
            .Take(request.BatchSize)
            .ToListAsync(cancellationToken);
        int paid = 0, released = 0, refunded = 0, deferred = 0, skipped = 0;
        foreach (var id in dueIds)
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == id, cancellationToken);
            if (order.PaymentCheckAt is not { } due || due > clock.GetUtcNow())
            {
                skipped++;
                continue;
            }

            try
            {
                switch (await SettleAsync(order, cancellationToken))
                {
                    case Settlement.Paid: paid++; break;
                    case Settlement.Released: released++; break;
                    case Settlement.Refunded: refunded++; break;
                    case Settlement.Deferred: deferred++; break;
                    default: skipped++; break;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // A confirmation or another run moved the order first; its outcome stands.
                skipped++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One order's failure must not stop the others; it stays due and is tried on the next run.
                LogFailed(logger, ex, order.Id);
                db.ChangeTracker.Clear();
                skipped++;
            }
        }

        db.ChangeTracker.Clear();
        return new ReconciliationReport(paid, released, refunded, deferred, skipped);
    }

    private async Task<Settlement> SettleAsync(Order order, CancellationToken cancellationToken)
    {
        var holdsSeats = order.Status is OrderStatus.PaymentPending or OrderStatus.Pending;
        var outcome = await gateway.GetByOrderIdAsync(order.Number, cancellationToken);
        LogLookup(logger, order.Id, outcome.Kind.ToString(), outcome.Payment?.Status ?? outcome.Code ?? "-", order.PaymentChecks);
        switch (outcome.Kind)
        {
            case GatewayOutcomeKind.Approved when holdsSeats:
                return (await completion.CompleteAsync(order, outcome.Payment!, null, cancellationToken)).IsSuccess ? Settlement.Paid : Settlement.Skipped;

            case GatewayOutcomeKind.Approved:
                return await completion.RefundLateAsync(order, outcome.Payment!, cancellationToken) ? Settlement.Refunded : await DeferAsync(order, cancellationToken);

            case GatewayOutcomeKind.Unknown:
            case GatewayOutcomeKind.NotFound or GatewayOutcomeKind.NotPaid when MayStillComplete(order, outcome):
                // A confirmation may still be on its way or in progress at the provider: not an answer yet.
                if (holdsSeats && clock.GetUtcNow() >= order.ExpiresAt + policy.Value.MaxUnknownHold)
                {
                    // The seats have waited long enough; keep asking, and refund should the payment turn out approved.
                    return await completion.ReleaseAsync(order, keepChecking: true, cancellationToken) ? Settlement.Released : Settlement.Skipped;
                }

                return await DeferAsync(order, cancellationToken);

            default:
                // Not found, not approved, refused, or cancelled (a compensation went through): nothing is charged.
                if (holdsSeats)
                {
                    return await completion.ReleaseAsync(order, keepChecking: false, cancellationToken) ? Settlement.Released : Settlement.Skipped;
                }

                order.PaymentSettled(clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                return Settlement.Skipped;
        }
    }

    /// <summary>
    /// "No such payment" and "not approved yet" are final only once the provider's confirmation window since our
    /// last confirmation has passed, or when the payment ended (aborted, expired): a confirmation the provider is
    /// still processing (a slow request, one our timeout gave up on) can still end DONE.
    /// </summary>
    private bool MayStillComplete(Order order, GatewayOutcome outcome)
    {
        if (outcome.Payment?.Status is "ABORTED" or "EXPIRED" or "CANCELED" or "PARTIAL_CANCELED")
        {
            return false;
        }

        return order.PaymentStartedAt is { } started && clock.GetUtcNow() < started + PaymentPolicy.ConfirmWindow;
    }

    private async Task<Settlement> DeferAsync(Order order, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var next = now + policy.Value.NextCheckDelay(order.PaymentChecks);
        order.DeferPaymentCheck(now, next);
        await db.SaveChangesAsync(cancellationToken);
        if (order.Status == OrderStatus.PaymentPending)
        {
            var cap = order.ExpiresAt + policy.Value.MaxUnknownHold;
            await completion.ExtendLockAsync(order, next < cap ? cap : next);
        }

        return Settlement.Deferred;
    }

    private enum Settlement
    {
        Paid,
        Released,
        Refunded,
        Deferred,
        Skipped,
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Reconciling order {OrderId} failed; it stays due")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid orderId);

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Reconciling order {OrderId}: provider says {Outcome} ({Detail}); earlier unanswered checks {Checks}")]
    private static partial void LogLookup(ILogger logger, Guid orderId, string outcome, string detail, int checks);
}
