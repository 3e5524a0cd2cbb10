using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Transfers;

/// <summary>
/// What happens once the provider approved a recipient's payment for a transfer, shared by the recipient's confirmation
/// and reconciliation: the ticket changes hands (one save), then the sender is paid back the price as a partial refund
/// (<c>cancelAmount</c>) of the payment by which they got the ticket, under the key <c>cancel:transfer-{id}</c>, so every
/// resend is the same refund at the provider.
/// </summary>
public sealed partial class TransferCompletion(
    IAppDbContext db,
    IPaymentGateway gateway,
    TimeProvider clock,
    IOptions<PaymentPolicy> policy,
    ILogger<TransferCompletion> logger)
{
    public const string PaybackReason = "Ticket transferred to another fan at face value";

    /// <summary>
    /// Records the approved <paramref name="payment"/> for <paramref name="transfer"/> (tracked, PaymentPending): the ticket
    /// becomes the recipient's. If our save fails the transfer stays PaymentPending with its check time, and
    /// reconciliation finds the payment approved and completes it: the recipient's money is never taken without the ticket.
    /// </summary>
    public async Task<Result<TicketTransfer>> CompleteAsync(TicketTransfer transfer, GatewayPayment payment, CancellationToken cancellationToken)
    {
        if (payment.TotalAmount != transfer.Price || payment.OrderId != transfer.Number)
        {
            LogMismatch(logger, transfer.Id, payment.TotalAmount, transfer.Price);
            return Error.Conflict("transfer.payment_mismatch", "The approved payment does not match this transfer; it is being settled by our staff.");
        }

        var ticket = await db.Tickets.SingleAsync(t => t.Id == transfer.TicketId, cancellationToken);
        var paybackKey = await PaybackPaymentKeyAsync(ticket, cancellationToken);
        transfer.PaymentApproved(ticket, paybackKey, clock.GetUtcNow(), policy.Value.CheckAfter);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another path (reconciliation, a repeat) recorded it first: if it recorded this very payment, that is our answer.
            db.ChangeTracker.Clear();
            var current = await db.TicketTransfers.SingleAsync(t => t.Id == transfer.Id, CancellationToken.None);
            return current.Status == TicketTransferStatus.Accepted && current.PaymentKey == payment.PaymentKey
                ? current
                : TransferAccess.Changed;
        }
        catch (DbUpdateException ex)
        {
            LogCommitFailed(logger, ex, transfer.Id);
            db.ChangeTracker.Clear();
            return Error.Unavailable("transfer.not_recorded", "The payment was approved but not recorded yet; it is completed automatically in a moment.", TimeSpan.FromSeconds(10));
        }

        LogAccepted(logger, transfer.Id, transfer.TicketId, transfer.Price);
        await SendPaybackAsync(transfer, CancellationToken.None);
        return transfer;
    }

    /// <summary>
    /// Sends (or resends, under the same key) the sender's payback of a transfer whose payback is due, and records the
    /// outcome. Concurrent sends are one refund at the provider; the transfer's version lets one of them record it.
    /// </summary>
    public async Task<bool> SendPaybackAsync(TicketTransfer transfer, CancellationToken cancellationToken)
    {
        if (transfer.PaybackStatus != PaybackStatus.Due || transfer.PaybackPaymentKey is not { } key)
        {
            return false;
        }

        var outcome = await gateway.CancelAsync(key, $"transfer-{transfer.Number}", PaybackReason, transfer.Price, CancellationToken.None);
        var now = clock.GetUtcNow();
        switch (outcome.Kind)
        {
            case GatewayOutcomeKind.Cancelled:
                transfer.PaidBack(now);
                var payment = await db.Payments.SingleOrDefaultAsync(p => p.PaymentKey == key, cancellationToken);
                payment?.Refunded(transfer.Price, PaybackReason, now);
                break;
            case GatewayOutcomeKind.Unknown:
                transfer.PaybackOutcomeUnknown(now, outcome.Code, policy.Value.NextCheckDelay(transfer.PaybackAttempts), policy.Value.RefundMaxAttempts);
                break;
            default:
                transfer.PaybackRefused(now, outcome.Code);
                break;
        }

        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another send of the same refund recorded it first.
            db.ChangeTracker.Clear();
            return false;
        }

        LogPayback(logger, transfer.Id, outcome.Kind.ToString(), outcome.Code ?? "-");
        return transfer.PaybackStatus == PaybackStatus.Done;
    }

    /// <summary>
    /// The payment by which the current holder got the ticket: the order's payment for a ticket never transferred, else
    /// the payment of the transfer that gave it to them (a free one leaves the price at 0, so it is never paid back).
    /// </summary>
    private async Task<string> PaybackPaymentKeyAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        if (ticket.TransferCount == 0)
        {
            return await db.Payments.AsNoTracking().Where(p => p.OrderId == ticket.OrderId).Select(p => p.PaymentKey).SingleAsync(cancellationToken);
        }

        return await db.TicketTransfers.AsNoTracking()
            .Where(t => t.TicketId == ticket.Id && t.Status == TicketTransferStatus.Accepted && t.PaymentKey != null)
            .OrderByDescending(t => t.AcceptedAt)
            .Select(t => t.PaymentKey!)
            .FirstAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Transfer {TransferId}: ticket {TicketId} changed hands for {Price} won")]
    private static partial void LogAccepted(ILogger logger, Guid transferId, Guid ticketId, long price);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "Transfer {TransferId}: payback answered {Outcome} ({Code})")]
    private static partial void LogPayback(ILogger logger, Guid transferId, string outcome, string code);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Error, Message = "Transfer {TransferId}: recording the approved payment failed; reconciliation completes it")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, Guid transferId);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Error, Message = "Transfer {TransferId}: the provider approved {Approved} won but the transfer costs {Price}")]
    private static partial void LogMismatch(ILogger logger, Guid transferId, long approved, long price);
}
