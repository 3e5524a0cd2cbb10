using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Payments;

/// <summary>A ticket as its owner sees it.</summary>
public sealed record TicketDto(Guid Id, string OrderId, long PerformanceId, long SeatId, string Label, string Grade, long Price, string Status, DateTimeOffset IssuedAt, DateTimeOffset? CheckedInAt);

/// <summary>The answer to a confirmation: <c>paid</c> with the tickets, or <c>paymentPending</c> while the outcome is being established.</summary>
public sealed record PaymentResultDto(string OrderId, string Status, string? PaymentKey, long Amount, DateTimeOffset? ApprovedAt, IReadOnlyList<TicketDto> Tickets);

public static class PaymentMapping
{
    public static string StatusName(this TicketStatus status) => status switch
    {
        TicketStatus.Valid => "valid",
        TicketStatus.CheckedIn => "checkedIn",
        TicketStatus.Voided => "voided",
        _ => status.ToString(),
    };

    public static TicketDto ToDto(this Ticket t) =>
        new(t.Id, t.OrderId.ToString("N"), t.PerformanceId, t.SeatId, t.Label, t.GradeCode, t.Price, t.Status.StatusName(), t.IssuedAt, t.CheckedInAt);

    public static PaymentResultDto Paid(Order order, Payment payment, IEnumerable<Ticket> tickets) =>
        new(order.Number, OrderStatus.Paid.StatusName(), payment.PaymentKey, payment.Amount, payment.ApprovedAt, tickets.OrderBy(t => t.SeatId).Select(t => t.ToDto()).ToList());

    public static PaymentResultDto Pending(Order order) =>
        new(order.Number, OrderStatus.PaymentPending.StatusName(), order.PaymentKey, order.TotalAmount, null, []);
}
