using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.UnitTests.Tickets;

/// <summary>A transfer's state machine: the cap, the ticket out of use while offered, re-issue on accept, cancel, expiry, the payment and payback.</summary>
public sealed class TicketTransferTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StartsAt = Now.AddDays(30);
    private static readonly Guid Sender = Guid.NewGuid();
    private static readonly Guid Recipient = Guid.NewGuid();

    private static Ticket PaidTicket()
    {
        var order = Order.Place(Sender, 1, [new OrderLineDraft(1, "A-1", "R", 100_000)], Now, TimeSpan.FromMinutes(10));
        order.BeginPayment("pk", Now, Now.AddMinutes(2));
        return order.MarkPaid(Now.AddSeconds(1), StartsAt, RefundSchedule.Standard).Single();
    }

    private static TicketTransfer Offer(Ticket ticket, long price, int max = 1) =>
        TicketTransfer.Offer(ticket, Sender, "bob@test.ticketing", price, max, StartsAt, Now, TimeSpan.FromDays(3));

    [Fact]
    public void An_offer_above_the_price_paid_is_refused_and_leaves_the_ticket_in_use()
    {
        var ticket = PaidTicket();

        Assert.Equal("transfer.above_face_value", Assert.Throws<DomainException>(() => Offer(ticket, 100_001)).Code);
        Assert.Equal(TicketStatus.Valid, ticket.Status);
    }

    [Fact]
    public void An_offered_ticket_admits_nobody_and_is_not_refunded_and_accepting_it_re_issues_it()
    {
        var ticket = PaidTicket();
        var transfer = Offer(ticket, 0);

        Assert.Equal("ticket.transfer_pending", Assert.Throws<DomainException>(() => ticket.CheckIn(Guid.NewGuid(), Now)).Code);
        Assert.Equal("ticket.transfer_pending", Assert.Throws<DomainException>(ticket.HoldForRefund).Code);

        transfer.AcceptFree(ticket, Recipient, Now.AddHours(1));

        Assert.Equal(TicketTransferStatus.Accepted, transfer.Status);
        Assert.Equal(Recipient, ticket.FanId);
        Assert.Equal((1, 1, 0L, TicketStatus.Valid), (ticket.QrSerial, ticket.TransferCount, ticket.Price, ticket.Status));
        Assert.Equal("ticket.transferred", Assert.Throws<DomainException>(ticket.HoldForRefund).Code);
        Assert.Equal("transfer.limit_reached", Assert.Throws<DomainException>(() =>
            TicketTransfer.Offer(ticket, Recipient, "carol@test.ticketing", 0, 1, StartsAt, Now, TimeSpan.FromDays(3))).Code);
        Assert.Equal("transfer.already_accepted", Assert.Throws<DomainException>(() => transfer.Cancel(ticket, Now)).Code);
    }

    [Fact]
    public void Transfers_off_the_holder_only_and_not_after_the_start()
    {
        Assert.Equal("transfer.disabled", Assert.Throws<DomainException>(() => Offer(PaidTicket(), 0, max: 0)).Code);
        Assert.Equal("ticket.not_found", Assert.Throws<DomainException>(() =>
            TicketTransfer.Offer(PaidTicket(), Recipient, "x@test.ticketing", 0, 1, StartsAt, Now, TimeSpan.FromDays(3))).Code);
        Assert.Equal("transfer.performance_started", Assert.Throws<DomainException>(() =>
            TicketTransfer.Offer(PaidTicket(), Sender, "x@test.ticketing", 0, 1, StartsAt, StartsAt, TimeSpan.FromDays(3))).Code);
    }

    [Fact]
    public void The_deadline_is_the_performance_start_at_the_latest_and_an_expired_offer_frees_the_ticket()
    {
        var ticket = PaidTicket();
        var transfer = TicketTransfer.Offer(ticket, Sender, "bob@test.ticketing", 0, 1, StartsAt, StartsAt.AddDays(-1), TimeSpan.FromDays(3));
        Assert.Equal(StartsAt, transfer.ExpiresAt);

        Assert.Equal("transfer.not_due", Assert.Throws<DomainException>(() => transfer.Expire(ticket, StartsAt.AddSeconds(-1))).Code);
        transfer.Expire(ticket, StartsAt);

        Assert.Equal(TicketTransferStatus.Expired, transfer.Status);
        Assert.Equal(TicketStatus.Valid, ticket.Status);
        Assert.Equal("transfer.expired", Assert.Throws<DomainException>(() => transfer.AcceptFree(ticket, Recipient, StartsAt)).Code);
    }

    [Fact]
    public void A_paid_offer_is_locked_while_paying_reopens_on_a_decline_and_owes_the_payback_when_approved()
    {
        var ticket = PaidTicket();
        var transfer = Offer(ticket, 60_000);
        Assert.Equal("transfer.payment_required", Assert.Throws<DomainException>(() => transfer.AcceptFree(ticket, Recipient, Now)).Code);

        transfer.BeginPayment(Recipient, "pk-1", Now, Now.AddMinutes(2));
        Assert.Equal("transfer.payment_in_progress", Assert.Throws<DomainException>(() => transfer.Cancel(ticket, Now)).Code);
        Assert.Equal("transfer.not_expirable", Assert.Throws<DomainException>(() => transfer.Expire(ticket, Now.AddDays(4))).Code);
        transfer.PaymentDeclined(Now);
        Assert.Equal(TicketTransferStatus.Offered, transfer.Status);

        transfer.BeginPayment(Recipient, "pk-2", Now, Now.AddMinutes(2));
        transfer.PaymentApproved(ticket, "pk", Now, TimeSpan.FromMinutes(2));

        Assert.Equal((TicketTransferStatus.Accepted, PaybackStatus.Due), (transfer.Status, transfer.PaybackStatus));
        Assert.Equal(60_000, ticket.Price);
        transfer.PaybackOutcomeUnknown(Now, "FAILED_REFUND_PROCESS", TimeSpan.FromSeconds(30), maxAttempts: 3);
        Assert.Equal(Now.AddSeconds(30), transfer.PaybackNextAttemptAt);
        transfer.PaidBack(Now.AddMinutes(1));
        Assert.Equal(PaybackStatus.Done, transfer.PaybackStatus);
        Assert.Throws<DomainException>(() => transfer.PaidBack(Now.AddMinutes(2)));
    }
}
