using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Payments;
using Ticketing.Application.UnitTests.Support;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.UnitTests.Payments;

public sealed class CancelPaidOrderTests : IAsyncLifetime, IDisposable
{
    private const string Reason = "Cancelled by the fan";
    private static readonly DateTimeOffset StartsAt = HandlerDatabase.Start.AddDays(30);

    private readonly PaymentPorts _ports = new();
    private readonly Guid _fan = Guid.NewGuid();
    private Stage _stage = null!;
    private Order _order = null!;
    private long _vip;
    private long _r;

    public async Task InitializeAsync()
    {
        _stage = await Database.SeedPerformanceAsync(startsAt: StartsAt);
        (_vip, _r) = (_stage.SeatId(1), _stage.SeatId(5));
        _order = (await Database.SeedPaidOrderAsync(_stage, _fan, [_vip, _r], HandlerDatabase.Start)).Order;
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.Cancelled);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _ports.Dispose();

    private HandlerDatabase Database => _ports.Database;

    private IPaymentGateway Gateway => _ports.Gateway;

    [Fact]
    public async Task Cancelling_the_whole_order_a_month_ahead_refunds_everything_and_returns_the_seats()
    {
        var result = await Handle([]);

        var refund = result.Value;
        Assert.Equal((300_000L, 0L, 300_000L, "refunded", "done"), (refund.GrossAmount, refund.FeeAmount, refund.RefundAmount, refund.OrderStatus, refund.Status));
        await Gateway.Received(1).CancelAsync("pk_paid", refund.RefundId.ToString("N"), Reason, null, Arg.Any<CancellationToken>());
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Refunded, 300_000L), (stored.Status, stored.RefundedAmount));
        Assert.All(stored.Lines, l => Assert.False(l.IsLive));
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.Voided, t.Status));
        var payment = Assert.Single(await Database.ReadAllAsync<Payment>());
        Assert.Equal((PaymentStatus.Cancelled, 0L), (payment.Status, payment.BalanceAmount));
        Assert.Equal(RefundStatus.Done, Assert.Single(await Database.ReadAllAsync<Refund>()).Status);
        await _ports.SeatLock.Received(1).ReleaseSoldAsync(_stage.PerformanceId, PaymentPorts.Seats(_vip, _r), _order.Number, Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData(10 * 24, 0)]
    [InlineData(7 * 24, 0)]
    [InlineData(5 * 24, 10)]
    [InlineData(3 * 24, 10)]
    [InlineData(2 * 24, 20)]
    [InlineData(24, 20)]
    [InlineData(12, 30)]
    [InlineData(3, 30)]
    public async Task The_fee_follows_the_snapshotted_schedule_by_hours_before_the_show(int hoursBefore, int feePercent)
    {
        _ports.Clock.Advance(StartsAt - TimeSpan.FromHours(hoursBefore) - HandlerDatabase.Start);
        var fee = 300_000L * feePercent / 100;

        var result = await Handle([]);

        Assert.Equal((300_000L, fee, 300_000L - fee), (result.Value.GrossAmount, result.Value.FeeAmount, result.Value.RefundAmount));
        // Toss is asked for the amount less the fee; only a refund of the whole balance omits cancelAmount.
        await Gateway.Received(1).CancelAsync("pk_paid", Arg.Any<string>(), Reason, fee == 0 ? null : 300_000L - fee, Arg.Any<CancellationToken>());
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Refunded, 300_000L - fee), (stored.Status, stored.RefundedAmount));
        Assert.Equal(fee, Assert.Single(await Database.ReadAllAsync<Payment>()).BalanceAmount);
    }

    [Fact]
    public async Task Cancelling_some_seats_refunds_their_prices_and_keeps_the_rest_of_the_order()
    {
        var result = await Handle([_r]);

        Assert.Equal((100_000L, "paid"), (result.Value.RefundAmount, result.Value.OrderStatus));
        await Gateway.Received(1).CancelAsync("pk_paid", Arg.Any<string>(), Reason, 100_000L, Arg.Any<CancellationToken>());
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Paid, 100_000L), (stored.Status, stored.RefundedAmount));
        Assert.True(stored.Lines.Single(l => l.SeatId == _vip).IsLive);
        Assert.False(stored.Lines.Single(l => l.SeatId == _r).IsLive);
        var tickets = await Database.ReadAllAsync<Ticket>();
        Assert.Equal(TicketStatus.Valid, tickets.Single(t => t.SeatId == _vip).Status);
        Assert.Equal(TicketStatus.Voided, tickets.Single(t => t.SeatId == _r).Status);
        var payment = Assert.Single(await Database.ReadAllAsync<Payment>());
        Assert.Equal((PaymentStatus.PartiallyCancelled, 200_000L), (payment.Status, payment.BalanceAmount));
        await _ports.SeatLock.Received(1).ReleaseSoldAsync(_stage.PerformanceId, PaymentPorts.Seats(_r), _order.Number, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Cancelling_the_rest_after_a_partial_refund_cancels_the_remaining_balance()
    {
        await Handle([_r]);

        var result = await Handle([]);

        Assert.Equal([_vip], result.Value.SeatIds);
        Assert.Equal((200_000L, "refunded"), (result.Value.RefundAmount, result.Value.OrderStatus));
        await Gateway.Received(1).CancelAsync("pk_paid", Arg.Any<string>(), Reason, null, Arg.Any<CancellationToken>());
        Assert.Equal(300_000L, (await Database.ReadOrderAsync(_order.Id)).RefundedAmount);
        Assert.Equal(0L, Assert.Single(await Database.ReadAllAsync<Payment>()).BalanceAmount);
    }

    [Fact]
    public async Task Cancelling_another_fans_order_is_not_found_and_refunds_nothing()
    {
        var result = await Handle([], fan: Guid.NewGuid());

        AssertError(result, ErrorKind.NotFound, "order.not_found");
        await AssertNothingRefunded();
    }

    [Fact]
    public async Task Cancelling_an_unpaid_order_for_a_refund_is_refused()
    {
        var pending = await Database.SeedPendingOrderAsync(_stage, _fan, [_stage.SeatId(2)]);

        var result = await Handle([], order: pending);

        AssertError(result, ErrorKind.Conflict, "order.not_refundable");
        await AssertNothingRefunded();
    }

    [Fact]
    public async Task Cancelling_at_the_cancellation_deadline_is_refused()
    {
        _ports.Clock.Advance(StartsAt - RefundSchedule.CancellationCutoff - HandlerDatabase.Start);

        var result = await Handle([]);

        AssertError(result, ErrorKind.Conflict, "order.cancellation_closed");
        await AssertNothingRefunded();
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(_order.Id)).Status);
    }

    [Fact]
    public async Task Cancelling_a_seat_that_is_not_in_the_order_is_refused()
    {
        var result = await Handle([_vip, _stage.SeatId(2)]);

        AssertError(result, ErrorKind.Conflict, "order.seats_not_in_order");
        await AssertNothingRefunded();
    }

    [Fact]
    public async Task Cancelling_a_seat_already_refunded_is_refused()
    {
        await Handle([_r]);
        Gateway.ClearReceivedCalls();

        var result = await Handle([_r]);

        AssertError(result, ErrorKind.Conflict, "order.seats_not_in_order");
        await AssertNothingRefunded();
    }

    [Fact]
    public async Task A_ticket_used_at_the_entrance_cannot_be_refunded()
    {
        await using (var db = Database.NewContext())
        {
            var ticket = db.Tickets.Single(t => t.SeatId == _vip);
            ticket.CheckIn(Guid.NewGuid(), HandlerDatabase.Start);
            await db.SaveChangesAsync();
        }

        var result = await Handle([]);

        AssertError(result, ErrorKind.Conflict, "ticket.already_checked_in");
        await AssertNothingRefunded();
    }

    [Fact]
    public async Task Refund_refused_by_Toss_leaves_the_order_paid_and_the_tickets_valid()
    {
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(new GatewayOutcome(GatewayOutcomeKind.Refused, null, "NOT_CANCELABLE_PAYMENT", "Not cancelable"));

        var result = await Handle([]);

        AssertError(result, ErrorKind.Conflict, "refund.refused");
        Assert.Equal("NOT_CANCELABLE_PAYMENT", result.Error!.Data!["tossCode"]);
        var failed = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.Failed, "NOT_CANCELABLE_PAYMENT", (DateTimeOffset?)null), (failed.Status, failed.FailureCode, failed.NextAttemptAt));
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Paid, 0L), (stored.Status, stored.RefundedAmount));
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.Valid, t.Status));
        Assert.Equal(300_000L, Assert.Single(await Database.ReadAllAsync<Payment>()).BalanceAmount);
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseSoldAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Refund_with_no_answer_from_Toss_is_pending_and_the_same_cancellation_resumes_it_under_the_same_key()
    {
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome, PaymentPorts.Cancelled);

        var first = await Handle([]);

        AssertError(first, ErrorKind.Unavailable, "refund.pending");
        // Recorded as unknown with the next automatic resend after the first backoff step.
        var pending = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.OutcomeUnknown, 1, "TIMEOUT"), (pending.Status, pending.Attempts, pending.FailureCode));
        Assert.Equal(HandlerDatabase.Start + _ports.Policy.NextCheckDelay(0), pending.NextAttemptAt);
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(_order.Id)).Status);
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.RefundPending, t.Status));

        var retry = await Handle([]);

        Assert.Equal(300_000L, retry.Value.RefundAmount);
        var keys = Gateway.ReceivedCalls().Select(c => (string)c.GetArguments()[1]!).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(RefundStatus.Done, Assert.Single(await Database.ReadAllAsync<Refund>()).Status);
        Assert.Equal(300_000L, (await Database.ReadOrderAsync(_order.Id)).RefundedAmount);
    }

    [Fact]
    public async Task A_refund_still_unknown_on_the_last_attempt_needs_attention_and_is_not_resent_by_the_fan()
    {
        _ports.Policy.RefundMaxAttempts = 2;
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);

        AssertError(await Handle([]), ErrorKind.Unavailable, "refund.pending");
        var last = await Handle([]);

        AssertError(last, ErrorKind.Conflict, "refund.needs_attention");
        var abandoned = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.Abandoned, 2, (DateTimeOffset?)null), (abandoned.Status, abandoned.Attempts, abandoned.NextAttemptAt));
        Gateway.ClearReceivedCalls();

        // Neither the same cancellation nor another one sends anything while an administrator settles it.
        AssertError(await Handle([]), ErrorKind.Conflict, "refund.needs_attention");
        AssertError(await Handle([_r]), ErrorKind.Conflict, "refund.needs_attention");
        await AssertNothingRefunded();
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Paid, 0L), (stored.Status, stored.RefundedAmount));
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.RefundPending, t.Status));
    }

    [Fact]
    public async Task A_refund_whose_answer_is_never_recorded_stays_due_for_the_retry_job()
    {
        // The request is saved; then the save of Toss's answer fails (the process dies after Toss refunded).
        Database.Saves.BeforeNextSave(() => Task.CompletedTask);
        Database.Saves.FailNextSave(new InvalidOperationException("database down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Handle([]));

        await Gateway.ReceivedWithAnyArgs(1).CancelAsync(default!, default!, default!, default, default);
        var requested = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.Requested, 0), (requested.Status, requested.Attempts));
        Assert.Equal(HandlerDatabase.Start + _ports.Policy.CheckAfter, requested.NextAttemptAt);
    }

    [Fact]
    public async Task Another_cancellation_while_one_is_unanswered_is_refused()
    {
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);
        await Handle([_r]);
        Gateway.ClearReceivedCalls();

        var other = await Handle([_vip]);

        AssertError(other, ErrorKind.Conflict, "refund.in_progress");
        await AssertNothingRefunded();
    }

    [Fact]
    public async Task Cancellation_racing_another_change_of_the_order_is_refused_before_Toss()
    {
        Database.Saves.BeforeNextSave(() => Database.BumpVersionAsync(_order.Id));

        var result = await Handle([]);

        AssertError(result, ErrorKind.Conflict, "refund.in_progress");
        await AssertNothingRefunded();
        Assert.Empty(await Database.ReadAllAsync<Refund>());
    }

    [Fact]
    public async Task Lock_store_down_after_the_refund_still_answers_done()
    {
        _ports.SeatLock.ReleaseSoldAsync(default, default!, default!, default).ThrowsAsyncForAnyArgs(new SeatLockUnavailableException("redis down"));

        var result = await Handle([]);

        Assert.Equal("done", result.Value.Status);
        Assert.Equal(OrderStatus.Refunded, (await Database.ReadOrderAsync(_order.Id)).Status);
    }

    private Task<Result<RefundDto>> Handle(long[] seatIds, Guid? fan = null, Order? order = null)
    {
        // One request, one scope: each call starts from what the database has.
        Database.Db.ChangeTracker.Clear();
        return new CancelPaidOrderHandler(Database.Db, _ports.Settlement(), _ports.Clock, _ports.Options)
            .Handle(new CancelPaidOrder(fan ?? _fan, (order ?? _order).Id, seatIds), CancellationToken.None);
    }

    private Task AssertNothingRefunded() => Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);

    private static void AssertError(Result<RefundDto> result, ErrorKind kind, string code)
    {
        Assert.False(result.IsSuccess, "expected a failure");
        Assert.Equal((kind, code), (result.Error!.Kind, result.Error.Code));
    }
}
