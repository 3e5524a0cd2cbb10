using Ticketing.Domain.Common;

namespace Ticketing.Domain.Tickets;

/// <summary>
/// A ticket's holder offers it to another account (named by email) at no more than the price they paid for it: free,
/// or paid by the recipient through the payment provider, the sender being paid back that amount as a partial refund of
/// the payment by which they got the ticket.
/// <para>
/// States: <see cref="TicketTransferStatus.Offered"/> → <see cref="TicketTransferStatus.Accepted"/> (free, or paid) |
/// <see cref="TicketTransferStatus.Cancelled"/> (by the sender) | <see cref="TicketTransferStatus.Expired"/> (its deadline,
/// at the latest the performance's start). A priced offer goes <see cref="TicketTransferStatus.PaymentPending"/> while the
/// provider is asked (nothing else may move it then), back to Offered on a decline, or to Accepted when approved.
/// <see cref="Version"/> is the concurrency token: an accept and a cancel that race cannot both save.
/// </para>
/// </summary>
public sealed class TicketTransfer
{
    public const int MaxEmailLength = 254;

    public const int MaxPaymentKeyLength = 200;

    private TicketTransfer()
    {
        RecipientEmail = string.Empty;
        SeatLabel = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TicketId { get; private set; }

    public long PerformanceId { get; private set; }

    public long SeatId { get; private set; }

    public string SeatLabel { get; private set; }

    public Guid SenderId { get; private set; }

    /// <summary>The recipient's email, normalized; whoever signs in with it sees and may accept the offer.</summary>
    public string RecipientEmail { get; private set; }

    /// <summary>What the recipient pays (0 = free), at most what the sender paid for the seat.</summary>
    public long Price { get; private set; }

    public TicketTransferStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The offer lapses then (at the latest when the performance starts).</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Version { get; private set; }

    public Guid? RecipientId { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The recipient's latest payment attempt (priced offers).</summary>
    public string? PaymentKey { get; private set; }

    public DateTimeOffset? PaymentStartedAt { get; private set; }

    /// <summary>While set, the outcome of the recipient's payment is unknown and reconciliation asks the provider then.</summary>
    public DateTimeOffset? PaymentCheckAt { get; private set; }

    public int PaymentChecks { get; private set; }

    /// <summary>The sender's payment refunded by <see cref="Price"/> once the recipient has paid (the payback).</summary>
    public string? PaybackPaymentKey { get; private set; }

    public PaybackStatus PaybackStatus { get; private set; }

    public int PaybackAttempts { get; private set; }

    public DateTimeOffset? PaybackNextAttemptAt { get; private set; }

    public string? PaybackFailureCode { get; private set; }

    public DateTimeOffset? PaidBackAt { get; private set; }

    /// <summary>The id as the payment provider sees it (its <c>orderId</c>): 32 hex characters.</summary>
    public string Number => Id.ToString("N");

    public bool IsOpen => Status is TicketTransferStatus.Offered or TicketTransferStatus.PaymentPending;

    /// <summary>
    /// Offers <paramref name="ticket"/> (its holder is the sender) to <paramref name="normalizedRecipientEmail"/> for
    /// <paramref name="price"/>. The ticket is taken out of use in the same save (<see cref="Ticket.OfferForTransfer"/>).
    /// </summary>
    public static TicketTransfer Offer(
        Ticket ticket,
        Guid senderId,
        string normalizedRecipientEmail,
        long price,
        int maxTransfers,
        DateTimeOffset performanceStartsAt,
        DateTimeOffset now,
        TimeSpan offerDuration)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentException.ThrowIfNullOrWhiteSpace(normalizedRecipientEmail);
        if (price < 0 || price > ticket.Price)
        {
            throw new DomainException("transfer.above_face_value", $"A ticket is transferred free or for at most the {ticket.Price} won paid for it.");
        }

        ticket.OfferForTransfer(senderId, maxTransfers, performanceStartsAt, now);
        var deadline = now + offerDuration;
        return new TicketTransfer
        {
            Id = Guid.CreateVersion7(now),
            TicketId = ticket.Id,
            PerformanceId = ticket.PerformanceId,
            SeatId = ticket.SeatId,
            SeatLabel = ticket.Label,
            SenderId = senderId,
            RecipientEmail = normalizedRecipientEmail,
            Price = price,
            Status = TicketTransferStatus.Offered,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = deadline < performanceStartsAt ? deadline : performanceStartsAt,
        };
    }

    /// <summary>The sender withdraws the offer before it is accepted; the ticket admits them again.</summary>
    public void Cancel(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        switch (Status)
        {
            case TicketTransferStatus.PaymentPending:
                throw new DomainException("transfer.payment_in_progress", "The recipient is paying for this transfer; it can no longer be cancelled unless the payment fails.");
            case TicketTransferStatus.Accepted:
                throw new DomainException("transfer.already_accepted", "The recipient already accepted this transfer.");
            case TicketTransferStatus.Cancelled or TicketTransferStatus.Expired:
                throw new DomainException("transfer.closed", $"This transfer is already {Status.ToString().ToLowerInvariant()}.");
        }

        ticket.TransferWithdrawn();
        Close(TicketTransferStatus.Cancelled, now);
    }

    /// <summary>The offer reached its deadline unaccepted (never while a payment is in flight).</summary>
    public void Expire(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (Status != TicketTransferStatus.Offered)
        {
            throw new DomainException("transfer.not_expirable", $"A transfer that is {Status} cannot expire.");
        }

        if (now < ExpiresAt)
        {
            throw new DomainException("transfer.not_due", "The transfer has not reached its deadline.");
        }

        ticket.TransferWithdrawn();
        Close(TicketTransferStatus.Expired, now);
    }

    /// <summary>The recipient takes a free offer: the ticket is theirs, with a new QR code.</summary>
    public void AcceptFree(Ticket ticket, Guid recipientId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (Price != 0)
        {
            throw new DomainException("transfer.payment_required", $"This transfer costs {Price} won; pay for it to accept it.");
        }

        EnsureAcceptable(recipientId, now);
        Accept(ticket, recipientId, now);
    }

    /// <summary>
    /// The recipient's payment is about to be confirmed at the provider: nothing else (a second card, the sender's
    /// cancel, the expiry) may move the transfer until the outcome is known; reconciliation asks at <paramref name="checkAt"/>.
    /// </summary>
    public void BeginPayment(Guid recipientId, string paymentKey, DateTimeOffset now, DateTimeOffset checkAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentKey);
        if (Price == 0)
        {
            throw new DomainException("transfer.free", "This transfer is free; accept it without a payment.");
        }

        EnsureAcceptable(recipientId, now);
        Status = TicketTransferStatus.PaymentPending;
        RecipientId = recipientId;
        PaymentKey = paymentKey;
        PaymentStartedAt = now;
        PaymentCheckAt = checkAt;
        PaymentChecks = 0;
        Touch(now);
    }

    /// <summary>The provider refused the payment for good: the offer is open again (another card) until its deadline.</summary>
    public void PaymentDeclined(DateTimeOffset now)
    {
        EnsurePaying();
        Status = TicketTransferStatus.Offered;
        PaymentCheckAt = null;
        Touch(now);
    }

    /// <summary>The provider cannot tell yet: ask again at <paramref name="nextCheckAt"/>.</summary>
    public void DeferPaymentCheck(DateTimeOffset now, DateTimeOffset nextCheckAt)
    {
        EnsurePaying();
        PaymentChecks++;
        PaymentCheckAt = nextCheckAt;
        Touch(now);
    }

    /// <summary>
    /// The provider approved the recipient's payment: the ticket is theirs (new QR code) and the sender is owed the price,
    /// paid back as a refund of <paramref name="paybackPaymentKey"/> (sent at once, retried at <see cref="PaybackNextAttemptAt"/>
    /// if its answer is lost).
    /// </summary>
    public void PaymentApproved(Ticket ticket, string paybackPaymentKey, DateTimeOffset now, TimeSpan paybackRetryAfter)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentException.ThrowIfNullOrWhiteSpace(paybackPaymentKey);
        EnsurePaying();
        PaymentCheckAt = null;
        Accept(ticket, RecipientId!.Value, now);
        PaybackPaymentKey = paybackPaymentKey;
        PaybackStatus = PaybackStatus.Due;
        PaybackNextAttemptAt = now + paybackRetryAfter;
    }

    /// <summary>The sender's refund went through.</summary>
    public void PaidBack(DateTimeOffset now)
    {
        EnsurePaybackOpen();
        PaybackStatus = PaybackStatus.Done;
        PaidBackAt = now;
        PaybackNextAttemptAt = null;
        Touch(now);
    }

    /// <summary>The provider refused the payback for good: an administrator pays the sender by hand.</summary>
    public void PaybackRefused(DateTimeOffset now, string? code)
    {
        EnsurePaybackOpen();
        PaybackStatus = PaybackStatus.NeedsAttention;
        PaybackFailureCode = code;
        PaybackNextAttemptAt = null;
        Touch(now);
    }

    /// <summary>The payback's outcome is unknown: resent under the same key after <paramref name="retryAfter"/>, or left to an administrator after the last attempt.</summary>
    public void PaybackOutcomeUnknown(DateTimeOffset now, string? code, TimeSpan retryAfter, int maxAttempts)
    {
        EnsurePaybackOpen();
        PaybackAttempts++;
        PaybackFailureCode = code;
        if (PaybackAttempts >= maxAttempts)
        {
            PaybackStatus = PaybackStatus.NeedsAttention;
            PaybackNextAttemptAt = null;
        }
        else
        {
            PaybackNextAttemptAt = now + retryAfter;
        }

        Touch(now);
    }

    /// <summary>The provider has no approved payment for this transfer: the offer is open again, or lapses if past its deadline.</summary>
    public void PaymentNotMade(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        EnsurePaying();
        PaymentCheckAt = null;
        if (now >= ExpiresAt)
        {
            ticket.TransferWithdrawn();
            Close(TicketTransferStatus.Expired, now);
            return;
        }

        Status = TicketTransferStatus.Offered;
        Touch(now);
    }

    public bool IsFor(string normalizedEmail) => string.Equals(RecipientEmail, normalizedEmail, StringComparison.Ordinal);

    private void EnsureAcceptable(Guid recipientId, DateTimeOffset now)
    {
        if (recipientId == SenderId)
        {
            throw new DomainException("transfer.own_ticket", "You cannot accept your own transfer.");
        }

        switch (Status)
        {
            case TicketTransferStatus.PaymentPending:
                throw new DomainException("transfer.payment_in_progress", "A payment for this transfer is being processed; read it again shortly.");
            case TicketTransferStatus.Accepted:
                throw new DomainException("transfer.already_accepted", "This transfer was already accepted.");
            case TicketTransferStatus.Cancelled:
                throw new DomainException("transfer.cancelled", "The sender cancelled this transfer.");
            case TicketTransferStatus.Expired:
                throw new DomainException("transfer.expired", "This transfer has expired.");
        }

        if (now >= ExpiresAt)
        {
            throw new DomainException("transfer.expired", "This transfer has expired.");
        }
    }

    private void Accept(Ticket ticket, Guid recipientId, DateTimeOffset now)
    {
        if (ticket.Id != TicketId)
        {
            throw new DomainException("transfer.wrong_ticket", "The ticket is not the one offered.");
        }

        ticket.TransferTo(recipientId, Price, now);
        RecipientId = recipientId;
        AcceptedAt = now;
        Close(TicketTransferStatus.Accepted, now);
    }

    private void EnsurePaying()
    {
        if (Status != TicketTransferStatus.PaymentPending)
        {
            throw new DomainException("transfer.not_paying", $"A transfer that is {Status} has no payment in progress.");
        }
    }

    private void EnsurePaybackOpen()
    {
        if (PaybackStatus != PaybackStatus.Due)
        {
            throw new DomainException("transfer.no_payback_due", $"The payback is {PaybackStatus}.");
        }
    }

    private void Close(TicketTransferStatus status, DateTimeOffset now)
    {
        Status = status;
        ClosedAt = now;
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}

public enum TicketTransferStatus
{
    Offered = 0,
    PaymentPending = 1,
    Accepted = 2,
    Cancelled = 3,
    Expired = 4,
}

/// <summary>The sender's payback of a paid transfer.</summary>
public enum PaybackStatus
{
    /// <summary>A free transfer, or not accepted: nothing to pay back.</summary>
    None = 0,

    /// <summary>Owed: the refund is being sent, or resent after an unknown outcome.</summary>
    Due = 1,

    Done = 2,

    /// <summary>Refused by the provider or unknown after every attempt: an administrator settles it.</summary>
    NeedsAttention = 3,
}
