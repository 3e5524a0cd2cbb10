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
        }

        Status = TicketStatus.CheckedIn;
        CheckedInAt = now;
        CheckedInBy = staffId;
    }
}

public enum TicketStatus
{
    Valid = 0,
    CheckedIn = 1,
    Voided = 2,

    /// <summary>A refund was asked for and the provider has not answered yet: it admits nobody.</summary>
    RefundPending = 3,
}
