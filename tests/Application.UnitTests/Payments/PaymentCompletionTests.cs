using Microsoft.EntityFrameworkCore;
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

public sealed class PaymentCompletionTests : IAsyncLifetime, IDisposable
{
    private readonly PaymentPorts _ports = new();
    private Stage _stage = null!;
    private Order _order = null!;
    private long[] _seats = null!;

    public async Task InitializeAsync()
    {
        _stage = await Database.SeedPerformanceAsync();
        _seats = [_stage.SeatId(2), _stage.SeatId(6)];
        var placed = await Database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), _seats,
            then: o => o.BeginPayment("pk_1", HandlerDatabase.Start, HandlerDatabase.Start + TimeSpan.FromMinutes(2)));
        _order = await Tracked(placed.Id);
        _ports.Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.Cancelled);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _ports.Dispose();

    private HandlerDatabase Database => _ports.Database;

    private IPaymentGateway Gateway => _ports.Gateway;

    [Fact]
    public async Task Approved_payment_is_recorded_with_its_tickets_in_one_commit_then_the_seats_are_sold()
    {
        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order), null, CancellationToken.None);

        Assert.Equal("paid", result.Value.Status);
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal(OrderStatus.Paid, stored.Status);
        Assert.Equal(RefundSchedule.Standard.ToString(), stored.RefundFeeSchedule);
        Assert.Equal(HandlerDatabase.Start.AddDays(30) - RefundSchedule.CancellationCutoff, stored.CancellableUntil);
        Assert.Equal(_seats, (await Database.ReadAllAsync<Ticket>()).Select(t => t.SeatId).Order());
        Assert.Equal(300_000, Assert.Single(await Database.ReadAllAsync<Payment>()).Amount);
        await _ports.SeatLock.Received(1).MarkSoldAsync(_stage.PerformanceId, PaymentPorts.Seats(_seats), _order.Number, Arg.Any<CancellationToken>());
        await Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task Approved_amount_other_than_the_order_total_is_never_recorded_and_is_voided_at_Toss()
    {
        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order, amount: 1_000), null, CancellationToken.None);

        AssertNotRecorded(result);
        await Gateway.Received(1).CancelAsync("pk_1", $"void-{_order.Number}", Arg.Any<string>(), null, Arg.Any<CancellationToken>());
        await AssertReleased();
    }

    [Fact]
    public async Task Approved_payment_of_another_order_number_is_never_recorded_and_is_voided_at_Toss()
    {
        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order, orderId: Guid.NewGuid().ToString("N")), null, CancellationToken.None);

        AssertNotRecorded(result);
        await Gateway.Received(1).CancelAsync("pk_1", $"void-{_order.Number}", Arg.Any<string>(), null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Commit_failure_cancels_the_payment_at_Toss_and_returns_the_seats()
    {
        Database.Saves.FailNextSave(new DbUpdateException("disk I/O error"));

        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order), null, CancellationToken.None);

        AssertNotRecorded(result);
        await Gateway.Received(1).CancelAsync("pk_1", $"void-{_order.Number}", Arg.Any<string>(), null, Arg.Any<CancellationToken>());
        await AssertReleased();
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().MarkSoldAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Commit_failure_whose_cancel_is_unconfirmed_leaves_the_order_for_reconciliation()
    {
        Database.Saves.FailNextSave(new DbUpdateException("disk I/O error"));
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);

        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order), null, CancellationToken.None);

        Assert.Equal("payment.not_recorded", result.Error!.Code);
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal(OrderStatus.PaymentPending, stored.Status);
        Assert.NotNull(stored.PaymentCheckAt);
        Assert.All(stored.Lines, l => Assert.True(l.IsLive));
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Losing_the_race_to_a_confirmation_that_recorded_this_payment_answers_paid_and_refunds_nothing()
    {
        await using (var other = Database.NewContext())
        {
            var order = await other.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == _order.Id);
            other.Tickets.AddRange(order.MarkPaid(HandlerDatabase.Start, HandlerDatabase.Start.AddDays(30), RefundSchedule.Standard));
            other.Payments.Add(Payment.Approved(order.Id, "pk_1", order.TotalAmount, "CARD", HandlerDatabase.Start));
            await other.SaveChangesAsync();
        }

        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order), null, CancellationToken.None);

        Assert.Equal("paid", result.Value.Status);
        Assert.Equal(2, result.Value.Tickets.Count);
        Assert.Equal(2, (await Database.ReadAllAsync<Ticket>()).Count);
        await Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task Losing_the_race_to_a_release_voids_the_payment_at_Toss()
    {
        await using (var other = Database.NewContext())
        {
            var order = await other.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == _order.Id);
            order.ReleaseUnpaid(HandlerDatabase.Start, keepChecking: false);
            await other.SaveChangesAsync();
        }

        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order), null, CancellationToken.None);

        AssertNotRecorded(result);
        await Gateway.Received(1).CancelAsync("pk_1", $"void-{_order.Number}", Arg.Any<string>(), null, Arg.Any<CancellationToken>());
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(_order.Id)).Status);
    }

    [Fact]
    public async Task Sold_lock_lost_still_answers_paid_because_the_tickets_are_the_guarantee()
    {
        _ports.SeatLock.MarkSoldAsync(default, default!, default!, default).ReturnsForAnyArgs(false);

        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order), null, CancellationToken.None);

        Assert.Equal("paid", result.Value.Status);
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(_order.Id)).Status);
        await Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task Lock_store_down_when_selling_still_answers_paid()
    {
        _ports.SeatLock.MarkSoldAsync(default, default!, default!, default).ThrowsAsyncForAnyArgs(new SeatLockUnavailableException("redis down"));

        var result = await _ports.Completion().CompleteAsync(_order, PaymentPorts.Approved(_order), null, CancellationToken.None);

        Assert.Equal("paid", result.Value.Status);
        await Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task Release_returns_the_seats_and_closes_the_payment_question()
    {
        Assert.True(await _ports.Completion().ReleaseAsync(_order, keepChecking: false, CancellationToken.None));

        var stored = await AssertReleased();
        Assert.Null(stored.PaymentCheckAt);
    }

    [Fact]
    public async Task Release_while_still_checking_keeps_asking_Toss_with_backoff()
    {
        Assert.True(await _ports.Completion().ReleaseAsync(_order, keepChecking: true, CancellationToken.None));

        var stored = await AssertReleased();
        Assert.Equal(HandlerDatabase.Start + TimeSpan.FromSeconds(_ports.Policy.CheckBackoffSeconds), stored.PaymentCheckAt);
        Assert.Equal(1, stored.PaymentChecks);
    }

    [Fact]
    public async Task Release_of_an_order_moved_meanwhile_does_nothing()
    {
        await Database.BumpVersionAsync(_order.Id);

        Assert.False(await _ports.Completion().ReleaseAsync(_order, keepChecking: false, CancellationToken.None));

        Assert.Equal(OrderStatus.PaymentPending, (await Database.ReadOrderAsync(_order.Id)).Status);
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Late_payment_is_refunded_in_full_and_recorded_as_refunded()
    {
        await _ports.Completion().ReleaseAsync(_order, keepChecking: true, CancellationToken.None);

        Assert.True(await _ports.Completion().RefundLateAsync(_order, PaymentPorts.Approved(_order), CancellationToken.None));

        await Gateway.Received(1).CancelAsync("pk_1", $"late-{_order.Number}", Arg.Any<string>(), null, Arg.Any<CancellationToken>());
        var payment = Assert.Single(await Database.ReadAllAsync<Payment>());
        Assert.Equal((PaymentStatus.Cancelled, 0L, 300_000L), (payment.Status, payment.BalanceAmount, payment.Amount));
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal(OrderStatus.Expired, stored.Status);
        Assert.Null(stored.PaymentCheckAt);
        Assert.Empty(await Database.ReadAllAsync<Ticket>());
    }

    [Fact]
    public async Task Late_refund_not_confirmed_by_Toss_records_nothing_and_stays_due()
    {
        await _ports.Completion().ReleaseAsync(_order, keepChecking: true, CancellationToken.None);
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);

        Assert.False(await _ports.Completion().RefundLateAsync(_order, PaymentPorts.Approved(_order), CancellationToken.None));

        Assert.Empty(await Database.ReadAllAsync<Payment>());
        Assert.NotNull((await Database.ReadOrderAsync(_order.Id)).PaymentCheckAt);
    }

    [Fact]
    public async Task Extending_to_a_moment_already_past_the_grace_leaves_the_locks_alone()
    {
        await _ports.Completion().ExtendLockAsync(_order, HandlerDatabase.Start - PaymentCompletion.LockGrace);

        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ExtendAsync(default, default!, default!, default, default);
    }

    [Fact]
    public async Task Extending_while_the_lock_store_is_down_does_not_fail_the_payment()
    {
        _ports.SeatLock.ExtendAsync(default, default!, default!, default, default).ThrowsAsyncForAnyArgs(new SeatLockUnavailableException("redis down"));

        await _ports.Completion().ExtendLockAsync(_order, HandlerDatabase.Start.AddMinutes(5));

        await _ports.SeatLock.Received(1).ExtendAsync(_stage.PerformanceId, PaymentPorts.Seats(_seats), _order.Number, TimeSpan.FromMinutes(5) + PaymentCompletion.LockGrace, Arg.Any<CancellationToken>());
    }

    private Task<Order> Tracked(Guid id) => Database.Db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == id);

    private static void AssertNotRecorded(Result<PaymentResultDto> result)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal((ErrorKind.Unavailable, "payment.not_recorded"), (result.Error!.Kind, result.Error.Code));
    }

    /// <summary>The order is closed unpaid, its lines are no longer live, no ticket or payment exists and its locks were released.</summary>
    private async Task<Order> AssertReleased()
    {
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal(OrderStatus.Expired, stored.Status);
        Assert.All(stored.Lines, l => Assert.False(l.IsLive));
        Assert.Empty(await Database.ReadAllAsync<Ticket>());
        Assert.Empty(await Database.ReadAllAsync<Payment>());
        await _ports.SeatLock.Received(1).ReleaseAsync(_stage.PerformanceId, PaymentPorts.Seats(_seats), _order.Number, Arg.Any<CancellationToken>());
        return stored;
    }
}
