using Mapster;
using MapsterMapper;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Payments;

/// <summary>How tickets and payment results read to their owner.</summary>
public sealed class PaymentMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<Ticket, TicketDto>()
            .Map(d => d.OrderId, s => s.OrderId.ToString("N"))
            .Map(d => d.Grade, s => s.GradeCode)
            .Map(d => d.Status, s => PaymentMapping.StatusName(s.Status));

        // A paid order's result: the order's number, the payment's key, amount and approval time; tickets added by Paid.
        config.NewConfig<(Order Order, Payment Payment), PaymentResultDto>()
            .Map(d => d.OrderId, s => s.Order.Number)
            .Map(d => d.Status, s => OrderStatus.Paid.StatusName())
            .Map(d => d.PaymentKey, s => s.Payment.PaymentKey)
            .Map(d => d.Amount, s => s.Payment.Amount)
            .Map(d => d.ApprovedAt, s => (DateTimeOffset?)s.Payment.ApprovedAt)
            .Map(d => d.Tickets, s => Array.Empty<TicketDto>());

        // An order whose payment outcome is still being established.
        config.NewConfig<Order, PaymentResultDto>()
            .Map(d => d.OrderId, s => s.Number)
            .Map(d => d.Status, s => OrderStatus.PaymentPending.StatusName())
            .Map(d => d.PaymentKey, s => s.PaymentKey)
            .Map(d => d.Amount, s => s.TotalAmount)
            .Map(d => d.ApprovedAt, s => (DateTimeOffset?)null)
            .Map(d => d.Tickets, s => Array.Empty<TicketDto>());
    }
}

public static class PaymentMapping
{
    public static string StatusName(this TicketStatus status) => status switch
    {
        TicketStatus.Valid => "valid",
        TicketStatus.CheckedIn => "checkedIn",
        TicketStatus.Voided => "voided",
        TicketStatus.RefundPending => "refundPending",
        TicketStatus.TransferPending => "transferPending", // transfer (issue 13.4)
        _ => status.ToString(),
    };

    public static PaymentResultDto Paid(this IMapper mapper, Order order, Payment payment, IEnumerable<Ticket> tickets) =>
        mapper.Map<PaymentResultDto>((order, payment)) with { Tickets = mapper.Map<List<TicketDto>>(tickets.OrderBy(t => t.SeatId)) };

    public static PaymentResultDto Pending(this IMapper mapper, Order order) => mapper.Map<PaymentResultDto>(order);
}
