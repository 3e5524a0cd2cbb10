using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.UnitTests.Tickets;

/// <summary>A ticket whose refund is pending admits nobody, so a fan can never be both refunded and let in.</summary>
public sealed class TicketRefundTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static Ticket PaidTicket()
    {
        var order = Order.Place(Guid.NewGuid(), 1, [new OrderLineDraft(1, "A-1", "R", 100_000)], Now, TimeSpan.FromMinutes(10));
        order.BeginPayment("pk", Now, Now.AddMinutes(2));
        return order.MarkPaid(Now.AddSeconds(1), Now.AddDays(30), RefundSchedule.Standard).Single();
    }

    [Fact]
    public void A_ticket_waiting_for_its_refund_cannot_be_checked_in()
    {
        var ticket = PaidTicket();

        ticket.HoldForRefund();

        Assert.Equal(TicketStatus.RefundPending, ticket.Status);
        Assert.Equal("ticket.refund_pending", Assert.Throws<DomainException>(() => ticket.CheckIn(Guid.NewGuid(), Now)).Code);
    }

    [Fact]
    public void A_refunded_ticket_is_voided_and_a_refused_refund_makes_it_valid_again()
    {
        var refunded = PaidTicket();
        refunded.HoldForRefund();
        refunded.Void(Now);
        Assert.Equal(TicketStatus.Voided, refunded.Status);

        var refused = PaidTicket();
        refused.HoldForRefund();
        refused.RefundRefused();
        Assert.Equal(TicketStatus.Valid, refused.Status);
        refused.CheckIn(Guid.NewGuid(), Now);
        Assert.Equal(TicketStatus.CheckedIn, refused.Status);
    }

    [Fact]
    public void A_used_or_voided_ticket_cannot_wait_for_a_refund()
    {
        var used = PaidTicket();
        used.CheckIn(Guid.NewGuid(), Now);
        Assert.Equal("ticket.already_checked_in", Assert.Throws<DomainException>(used.HoldForRefund).Code);

        var voided = PaidTicket();
        voided.Void(Now);
        Assert.Equal("ticket.voided", Assert.Throws<DomainException>(voided.HoldForRefund).Code);
        Assert.Equal("ticket.no_refund_pending", Assert.Throws<DomainException>(voided.RefundRefused).Code);
    }
}
