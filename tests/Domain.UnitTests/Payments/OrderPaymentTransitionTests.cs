using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.UnitTests.Payments;

public sealed class OrderPaymentTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ShowStarts = Now.AddDays(30);

    private static Order NewOrder() => Order.Place(
        Guid.NewGuid(), 1, [new OrderLineDraft(1, "A-1", "R", 100_000), new OrderLineDraft(2, "A-2", "R", 50_000)], Now, TimeSpan.FromMinutes(10));

    [Fact]
    public void Begin_payment_moves_a_pending_order_to_payment_pending_and_bumps_its_version()
    {
        var order = NewOrder();
        var version = order.Version;

        order.BeginPayment("pk", Now.AddMinutes(1), Now.AddMinutes(3));

        Assert.Equal(OrderStatus.PaymentPending, order.Status);
        Assert.Equal("pk", order.PaymentKey);
        Assert.Equal(Now.AddMinutes(3), order.PaymentCheckAt);
        Assert.True(order.Version > version);
    }

    [Fact]
    public void Begin_payment_is_refused_after_the_deadline_and_while_another_payment_is_open()
    {
        var late = NewOrder();
        Assert.Equal("order.expired", Assert.Throws<DomainException>(() => late.BeginPayment("pk", Now.AddMinutes(10), Now.AddMinutes(12))).Code);

        var paying = NewOrder();
        paying.BeginPayment("pk", Now, Now.AddMinutes(2));
        Assert.Equal("order.not_payable", Assert.Throws<DomainException>(() => paying.BeginPayment("pk2", Now, Now.AddMinutes(2))).Code);
    }

    [Fact]
    public void A_decline_makes_the_order_payable_again_and_closes_the_open_question()
    {
        var order = NewOrder();
        order.BeginPayment("pk", Now, Now.AddMinutes(2));

        order.PaymentDeclined(Now.AddSeconds(5));

        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Null(order.PaymentCheckAt);
        order.BeginPayment("pk2", Now.AddSeconds(6), Now.AddMinutes(2));
        Assert.Equal("pk2", order.PaymentKey);
    }

    [Fact]
    public void Mark_paid_issues_one_ticket_per_seat_and_snapshots_the_refund_terms()
    {
        var order = NewOrder();
        order.BeginPayment("pk", Now, Now.AddMinutes(2));

        var tickets = order.MarkPaid(Now.AddSeconds(1), ShowStarts, RefundSchedule.Standard);

        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal([1L, 2L], tickets.Select(t => t.SeatId).Order());
        Assert.All(tickets, t => Assert.Equal(TicketStatus.Valid, t.Status));
        Assert.Equal(ShowStarts - RefundSchedule.CancellationCutoff, order.CancellableUntil);
        Assert.Equal("7:0,3:10,1:20,0:30", order.RefundFeeSchedule);
        Assert.Null(order.PaymentCheckAt);
        Assert.Throws<DomainException>(() => order.MarkPaid(Now, ShowStarts, RefundSchedule.Standard));
    }

    [Fact]
    public void An_expired_or_cancelled_order_cannot_be_paid()
    {
        var expired = NewOrder();
        expired.Expire(Now.AddMinutes(10));
        var cancelled = NewOrder();
        cancelled.Cancel(Now);

        Assert.Throws<DomainException>(() => expired.MarkPaid(Now, ShowStarts, RefundSchedule.Standard));
        Assert.Throws<DomainException>(() => cancelled.MarkPaid(Now, ShowStarts, RefundSchedule.Standard));
    }

    [Fact]
    public void Releasing_unpaid_frees_the_seats_and_may_keep_checking_for_a_late_payment()
    {
        var order = NewOrder();
        order.BeginPayment("pk", Now, Now.AddMinutes(2));

        order.ReleaseUnpaid(Now.AddMinutes(40), keepChecking: true);

        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.All(order.Lines, l => Assert.False(l.IsLive));
        Assert.NotNull(order.PaymentCheckAt);
        order.PaymentSettled(Now.AddMinutes(50));
        Assert.Null(order.PaymentCheckAt);
    }

    [Fact]
    public void Refund_quote_follows_the_snapshotted_schedule_and_the_deadline()
    {
        var order = NewOrder();
        order.BeginPayment("pk", Now, Now.AddMinutes(2));
        order.MarkPaid(Now, ShowStarts, RefundSchedule.Standard);

        Assert.Equal((100_000L, 0L), order.QuoteRefund([1], ShowStarts.AddDays(-8)));
        Assert.Equal((150_000L, 15_000L), order.QuoteRefund([1, 2], ShowStarts.AddDays(-5)));
        Assert.Equal((50_000L, 10_000L), order.QuoteRefund([2], ShowStarts.AddDays(-2)));
        Assert.Equal((50_000L, 15_000L), order.QuoteRefund([2], ShowStarts.AddHours(-3)));
        Assert.Equal("order.cancellation_closed", Assert.Throws<DomainException>(() => order.QuoteRefund([2], ShowStarts.AddHours(-2))).Code);
        Assert.Equal("order.seats_not_in_order", Assert.Throws<DomainException>(() => order.QuoteRefund([3], ShowStarts.AddDays(-8))).Code);
    }

    [Fact]
    public void Refunding_every_seat_makes_the_order_refunded_and_a_part_keeps_it_paid()
    {
        var order = NewOrder();
        order.BeginPayment("pk", Now, Now.AddMinutes(2));
        order.MarkPaid(Now, ShowStarts, RefundSchedule.Standard);

        order.SeatsRefunded([1], 100_000, Now.AddDays(1));
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal("order.seats_not_in_order", Assert.Throws<DomainException>(() => order.QuoteRefund([1], Now.AddDays(1))).Code);

        order.SeatsRefunded([2], 50_000, Now.AddDays(1));
        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Equal(150_000, order.RefundedAmount);
    }

    [Theory]
    [InlineData("7:0,3:10,1:20,0:30", 10, 0)]
    [InlineData("7:0,3:10,1:20,0:30", 7, 0)]
    [InlineData("7:0,3:10,1:20,0:30", 6.9, 10)]
    [InlineData("7:0,3:10,1:20,0:30", 3, 10)]
    [InlineData("7:0,3:10,1:20,0:30", 2.5, 20)]
    [InlineData("7:0,3:10,1:20,0:30", 0.5, 30)]
    [InlineData("2:50", 1, 50)]
    public void Refund_schedule_picks_the_tier_of_the_time_left(string schedule, double daysBefore, int fee)
    {
        var parsed = RefundSchedule.Parse(schedule);

        Assert.Equal(fee, parsed.FeePercentAt(ShowStarts, ShowStarts - TimeSpan.FromDays(daysBefore)));
        Assert.Equal(schedule, parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("7:x")]
    [InlineData("7:101")]
    [InlineData("-1:10")]
    public void Malformed_refund_schedules_are_refused(string schedule) =>
        Assert.Throws<DomainException>(() => RefundSchedule.Parse(schedule));
}
