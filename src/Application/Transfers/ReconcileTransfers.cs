using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Transfers;

/// <summary>
/// Settles what the transfers left open, run by a recurring job (tests send it with the injected clock):
/// <list type="bullet">
/// <item>a recipient's payment whose outcome is unknown and whose check is due: looked up by the transfer's id at the
/// provider; DONE → the ticket changes hands and the sender is paid back; no payment (final, or after the provider's
/// confirmation window) → the offer is open again, or lapses past its deadline; still unknown → asked again with backoff;</item>
/// <item>a payback whose outcome is unknown and due: resent under its first key;</item>
/// <item>an offer past its deadline (at the latest the performance's start): expired, the ticket admits its holder again.</item>
/// </list>
/// Every step is guarded by the transfer's version, so concurrent runs (or the recipient's repeat) settle each once.
/// </summary>
public sealed record ReconcileTransfers(int BatchSize = ReconcileTransfers.DefaultBatchSize) : IRequest<TransferReconciliationReport>
{
    public const int DefaultBatchSize = 100;
}

public sealed record TransferReconciliationReport(int Accepted, int Reopened, int Deferred, int PaidBack, int Expired, int Skipped)
{
    public int Total => Accepted + Reopened + Deferred + PaidBack + Expired + Skipped;
}

public sealed partial class ReconcileTransfersHandler(
    IAppDbContext db,
    IPaymentGateway gateway,
    TransferCompletion completion,
    TimeProvider clock,
    IOptions<PaymentPolicy> policy,
    ILogger<ReconcileTransfersHandler> logger) : IRequestHandler<ReconcileTransfers, TransferReconciliationReport>
{
    public async Task<TransferReconciliationReport> Handle(ReconcileTransfers request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        int accepted = 0, reopened = 0, deferred = 0, paidBack = 0, expired = 0, skipped = 0;

        var paying = await db.TicketTransfers.AsNoTracking()
            .Where(t => t.Status == TicketTransferStatus.PaymentPending && t.PaymentCheckAt != null && t.PaymentCheckAt <= now)
            .OrderBy(t => t.PaymentCheckAt).Select(t => t.Id).Take(request.BatchSize).ToListAsync(cancellationToken);
        foreach (var id in paying)
        {
            await OneAsync(id, async transfer =>
            {
                if (transfer.Status != TicketTransferStatus.PaymentPending)
                {
                    skipped++;
                    return;
                }

                switch (await SettlePaymentAsync(transfer, cancellationToken))
                {
                    case Outcome.Accepted: accepted++; break;
                    case Outcome.Reopened: reopened++; break;
                    case Outcome.Deferred: deferred++; break;
                    default: skipped++; break;
                }
            }, () => skipped++, cancellationToken);
        }

        var paybacks = await db.TicketTransfers.AsNoTracking()
            .Where(t => t.PaybackStatus == PaybackStatus.Due && t.PaybackNextAttemptAt != null && t.PaybackNextAttemptAt <= now)
            .OrderBy(t => t.PaybackNextAttemptAt).Select(t => t.Id).Take(request.BatchSize).ToListAsync(cancellationToken);
        foreach (var id in paybacks)
        {
            await OneAsync(id, async transfer =>
            {
                if (await completion.SendPaybackAsync(transfer, cancellationToken))
                {
                    paidBack++;
                }
                else
                {
                    skipped++;
                }
            }, () => skipped++, cancellationToken);
        }

        var lapsed = await db.TicketTransfers.AsNoTracking()
            .Where(t => t.Status == TicketTransferStatus.Offered && t.ExpiresAt <= now)
            .OrderBy(t => t.ExpiresAt).Select(t => t.Id).Take(request.BatchSize).ToListAsync(cancellationToken);
        foreach (var id in lapsed)
        {
            await OneAsync(id, async transfer =>
            {
                if (transfer.Status != TicketTransferStatus.Offered)
                {
                    skipped++;
                    return;
                }

                var ticket = await db.Tickets.SingleAsync(t => t.Id == transfer.TicketId, cancellationToken);
                transfer.Expire(ticket, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                expired++;
            }, () => skipped++, cancellationToken);
        }

        db.ChangeTracker.Clear();
        return new TransferReconciliationReport(accepted, reopened, deferred, paidBack, expired, skipped);
    }

    private async Task OneAsync(Guid id, Func<TicketTransfer, Task> settle, Action skip, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        try
        {
            var transfer = await db.TicketTransfers.SingleAsync(t => t.Id == id, cancellationToken);
            await settle(transfer);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A recipient, a sender or another run moved it first; their outcome stands.
            skip();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One transfer's failure must not stop the others; it stays due and is tried on the next run.
            LogFailed(logger, ex, id);
            skip();
        }
    }

    private async Task<Outcome> SettlePaymentAsync(TicketTransfer transfer, CancellationToken cancellationToken)
    {
        var outcome = await gateway.GetByOrderIdAsync(transfer.Number, cancellationToken);
        var now = clock.GetUtcNow();
        switch (outcome.Kind)
        {
            case GatewayOutcomeKind.Approved:
                return (await completion.CompleteAsync(transfer, outcome.Payment!, cancellationToken)).IsSuccess ? Outcome.Accepted : Outcome.Skipped;

            case GatewayOutcomeKind.Unknown:
            case GatewayOutcomeKind.NotFound or GatewayOutcomeKind.NotPaid when MayStillComplete(transfer, outcome, now):
                transfer.DeferPaymentCheck(now, now + policy.Value.NextCheckDelay(transfer.PaymentChecks));
                await db.SaveChangesAsync(cancellationToken);
                return Outcome.Deferred;

            default:
                var ticket = await db.Tickets.SingleAsync(t => t.Id == transfer.TicketId, cancellationToken);
                transfer.PaymentNotMade(ticket, now);
                await db.SaveChangesAsync(cancellationToken);
                return Outcome.Reopened;
        }
    }

    /// <summary>As for orders: "no payment" is final only after the provider's confirmation window, or when the payment ended.</summary>
    private static bool MayStillComplete(TicketTransfer transfer, GatewayOutcome outcome, DateTimeOffset now) =>
        outcome.Payment?.Status is not ("ABORTED" or "EXPIRED" or "CANCELED" or "PARTIAL_CANCELED")
        && transfer.PaymentStartedAt is { } started && now < started + PaymentPolicy.ConfirmWindow;

    private enum Outcome
    {
        Accepted,
        Reopened,
        Deferred,
        Skipped,
    }

    [LoggerMessage(EventId = 4620, Level = LogLevel.Error, Message = "Transfer {TransferId}: reconciliation failed; it is tried again on the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid transferId);
}
