using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tickets;

/// <summary>
/// The right to one seat of one performance, issued when its order is paid. While not voided the database keeps
/// it unique per (performance, seat): the lasting guarantee that a seat is never sold twice.
/// </summary>
public sealed class Ticket
{
    private Ticket()
    {
        Label = string.Empty;
        GradeCode = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid FanId { get; private set; }

    public long PerformanceId { get; private set; }

    public long SeatId { get; private set; }

    public string Label { get; private set; }

    public string GradeCode { get; private set; }

    public long Price { get; private set; }

    public TicketStatus Status { get; private set; }

    public DateTimeOffset IssuedAt { get; private set; }

    public DateTimeOffset? CheckedInAt { get; private set; }

    public Guid? CheckedInBy { get; private set; }

    internal static Ticket Issue(Order order, OrderLine line, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        OrderId = order.Id,
        FanId = order.FanId,
        PerformanceId = line.PerformanceId,
        SeatId = line.SeatId,
        Label = line.Label,
        GradeCode = line.GradeCode,
        Price = line.Price,
        Status = TicketStatus.Valid,
        IssuedAt = now,
    };

    public DateTimeOffset? VoidedAt { get; private set; }

    /// <summary>
    /// A refund of this ticket's seat was asked for: until the provider answers, the ticket admits nobody, so a fan
    /// can never be both refunded and let in. <see cref="Status"/> is the row's concurrency token, so a check-in and a
    /// refund request that race each other cannot both win.
    /// </summary>
    public void HoldForRefund()
    {
        switch (Status)
        {
            case TicketStatus.RefundPending:
                return;
            case TicketStatus.CheckedIn:
                throw new DomainException("ticket.already_checked_in", "A ticket that was used at the entrance cannot be refunded.");
            case TicketStatus.Voided:
                throw new DomainException("ticket.voided", "This ticket was voided.");
        }

        // Transfer (issue 13.4): a ticket with an open transfer, or one that changed hands, is not refunded through the order.
        EnsureRefundableAfterTransfers();
        Status = TicketStatus.RefundPending;
    }

    /// <summary>The provider refused the refund for good: the ticket admits its holder again.</summary>
    public void RefundRefused()
    {
        if (Status != TicketStatus.RefundPending)
        {
            throw new DomainException("ticket.no_refund_pending", $"A ticket that is {Status} has no refund pending.");
        }

        Status = TicketStatus.Valid;
    }

    /// <summary>The seat was given back (the order was cancelled and refunded): the ticket no longer admits anyone.</summary>
    public void Void(DateTimeOffset now)
    {
        if (Status is not (TicketStatus.Valid or TicketStatus.RefundPending))
        {
            throw new DomainException("ticket.not_voidable", $"A ticket that is {Status} cannot be voided.");
        }

        Status = TicketStatus.Voided;
        VoidedAt = now;
    }

    /// <summary>Admits the holder at the entrance: once only, and never on a voided ticket.</summary>
    public void CheckIn(Guid staffId, DateTimeOffset now)
    {
        switch (Status)
        {
            case TicketStatus.CheckedIn:
                throw new DomainException("ticket.already_checked_in", $"This ticket was already checked in at {CheckedInAt:O}.");
            case TicketStatus.Voided:
                throw new DomainException("ticket.voided", "This ticket was voided.");
            case TicketStatus.RefundPending:
                throw new DomainException("ticket.refund_pending", "A refund of this ticket is in progress.");
            case TicketStatus.TransferPending:
                throw new DomainException("ticket.transfer_pending", "This ticket is being transferred; it admits nobody until the transfer is accepted or withdrawn.");
        }

        Status = TicketStatus.CheckedIn;
        CheckedInAt = now;
        CheckedInBy = staffId;
    }

    // ---- Transfer (issue 13.4): face-value transfer to another account. ----

    /// <summary>How many times the ticket changed hands; the performance's <c>MaxTransfersPerTicket</c> caps it.</summary>
    public int TransferCount { get; private set; }

    /// <summary>
    /// The version of the ticket's QR code, signed into it. Every transfer re-issues the ticket to its new holder with the
    /// next serial, so the code the sender kept (a screenshot, a printout) no longer verifies at the entrance.
    /// </summary>
    public int QrSerial { get; private set; }

    /// <summary>
    /// The holder offers the ticket to someone else: until the transfer closes it admits nobody and cannot be refunded.
    /// <see cref="Status"/> is the concurrency token, so an offer racing a check-in or a refund request cannot both win.
    /// </summary>
    public void OfferForTransfer(Guid holderId, int maxTransfers, DateTimeOffset startsAt, DateTimeOffset now)
    {
        if (FanId != holderId)
        {
            throw new DomainException("ticket.not_found", "You have no ticket with this id.");
        }

        switch (Status)
        {
            case TicketStatus.CheckedIn:
                throw new DomainException("ticket.already_checked_in", "A ticket that was used at the entrance cannot be transferred.");
            case TicketStatus.Voided:
                throw new DomainException("ticket.voided", "This ticket was voided.");
            case TicketStatus.RefundPending:
                throw new DomainException("ticket.refund_pending", "A refund of this ticket is in progress.");
            case TicketStatus.TransferPending:
                throw new DomainException("transfer.already_open", "This ticket is already offered to someone; cancel that transfer first.");
        }

        if (now >= startsAt)
        {
            throw new DomainException("transfer.performance_started", "The performance has started; its tickets can no longer be transferred.");
        }

        if (maxTransfers <= 0)
        {
            throw new DomainException("transfer.disabled", "The organizer does not allow transfers for this performance.");
        }

        if (TransferCount >= maxTransfers)
        {
            throw new DomainException("transfer.limit_reached", $"This ticket was already transferred {TransferCount} time(s), the most this performance allows.");
        }

        Status = TicketStatus.TransferPending;
    }

    /// <summary>The transfer was cancelled or lapsed: the ticket admits its holder again, with the same code.</summary>
    public void TransferWithdrawn()
    {
        if (Status != TicketStatus.TransferPending)
        {
            throw new DomainException("ticket.no_transfer_pending", $"A ticket that is {Status} has no transfer pending.");
        }

        Status = TicketStatus.Valid;
    }

    /// <summary>
    /// The recipient accepted: the same row (so the seat never has two live tickets, not even for an instant) is
    /// re-issued to them with a new QR serial; <see cref="Price"/> becomes what they paid, the cap of any next transfer.
    /// </summary>
    public void TransferTo(Guid recipientId, long pricePaid, DateTimeOffset now)
    {
        if (Status != TicketStatus.TransferPending)
        {
            throw new DomainException("ticket.no_transfer_pending", $"A ticket that is {Status} has no transfer pending.");
        }

        FanId = recipientId;
        Price = pricePaid;
        TransferCount++;
        QrSerial++;
        IssuedAt = now;
        Status = TicketStatus.Valid;
    }

    private void EnsureRefundableAfterTransfers()
    {
        if (Status == TicketStatus.TransferPending)
        {
            throw new DomainException("ticket.transfer_pending", "This ticket is being transferred; cancel the transfer before a refund.");
        }

        if (TransferCount > 0)
        {
            throw new DomainException("ticket.transferred", "This seat's ticket was transferred to another fan; it is no longer refunded through this order.");
        }
    }
}

public enum TicketStatus
{
    Valid = 0,
    CheckedIn = 1,
    Voided = 2,

    /// <summary>A refund was asked for and the provider has not answered yet: it admits nobody.</summary>
    RefundPending = 3,

    /// <summary>Offered to another account (issue 13.4): it admits nobody and is not refunded until the transfer closes.</summary>
    TransferPending = 4,
}
