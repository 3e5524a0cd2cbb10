using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Orders;
using Ticketing.Application.Payments;
using Ticketing.Application.UnitTests.Support;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.UnitTests.Orders;

public sealed class ExpireDueOrdersTests : IAsyncLifetime, IDisposable
{
    private readonly PaymentPorts _ports = new();
    private Stage _stage = null!;

    public async Task InitializeAsync() => _stage = await Database.SeedPerformanceAsync(seats: 8);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _ports.Dispose();

    private HandlerDatabase Database => _ports.Database;

    private IPaymentGateway Gateway => _ports.Gateway;

    [Fact]
    public async Task Expires_only_pending_orders_at_or_past_their_deadline_and_releases_their_locks()
    {
        var due = await Placed(seat: 1, minutesAgo: 10);
        var overdue = await Placed(seat: 2, minutesAgo: 30);
        var notYet = await Placed(seat: 3, minutesAgo: 9);
        var paying = await Placed(seat: 4, minutesAgo: 30, then: o => o.BeginPayment("pk", o.CreatedAt.AddMinutes(1), o.CreatedAt.AddMinutes(3)));
        var paid = (await Database.SeedPaidOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(5)], HandlerDatabase.Start.AddMinutes(-30))).Order;

        var report = await Run();

        Assert.Equal((2, 0), (report.Expired, report.Skipped));
        foreach (var order in new[] { due, overdue })
        {
            var stored = await Database.ReadOrderAsync(order.Id);
            Assert.Equal(OrderStatus.Expired, stored.Status);
            Assert.All(stored.Lines, l => Assert.False(l.IsLive));
            await _ports.SeatLock.Received(1).ReleaseAsync(_stage.PerformanceId, PaymentPorts.Seats(order.Lines[0].SeatId), order.Number, Arg.Any<CancellationToken>());
        }

        Assert.Equal(OrderStatus.Pending, (await Database.ReadOrderAsync(notYet.Id)).Status);
        Assert.Equal(OrderStatus.PaymentPending, (await Database.ReadOrderAsync(paying.Id)).Status);
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(paid.Id)).Status);
        Assert.Equal(2, _ports.SeatLock.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(ISeatLock.ReleaseAsync)));
        await Gateway.DidNotReceiveWithAnyArgs().GetByOrderIdAsync(default!, default);
    }

    [Fact]
    public async Task A_run_expires_at_most_its_batch_the_oldest_first()
    {
        var newest = await Placed(seat: 1, minutesAgo: 11);
        var oldest = await Placed(seat: 2, minutesAgo: 13);
        var middle = await Placed(seat: 3, minutesAgo: 12);

        var report = await Run(batchSize: 2);

        Assert.Equal(2, report.Expired);
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(oldest.Id)).Status);
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(middle.Id)).Status);
        Assert.Equal(OrderStatus.Pending, (await Database.ReadOrderAsync(newest.Id)).Status);
        Assert.Equal(1, (await Run(batchSize: 2)).Expired);
    }

    [Fact]
    public async Task An_order_moved_by_another_instance_meanwhile_is_skipped_and_its_locks_left_alone()
    {
        var order = await Placed(seat: 1, minutesAgo: 11);
        Database.Saves.BeforeNextSave(() => Database.BumpVersionAsync(order.Id));

        var report = await Run();

        // The batch lost the race; judged again alone, the order (still pending and due) expires once.
        Assert.Equal((1, 0), (report.Expired, report.Skipped));
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(order.Id)).Status);
        await _ports.SeatLock.ReceivedWithAnyArgs(1).ReleaseAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Lock_store_down_does_not_undo_the_expiry()
    {
        var order = await Placed(seat: 1, minutesAgo: 11);
        _ports.SeatLock.ReleaseAsync(default, default!, default!, default).ThrowsAsyncForAnyArgs(new SeatLockUnavailableException("redis down"));

        var report = await Run();

        Assert.Equal(1, report.Expired);
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Order_with_a_declined_attempt_whose_payment_Toss_now_reports_approved_is_completed_not_expired()
    {
        var order = await Placed(seat: 1, minutesAgo: 11, then: Declined);
        Gateway.GetByOrderIdAsync(order.Number, Arg.Any<CancellationToken>()).Returns(PaymentPorts.ApprovedOutcome(order, "pk_declined"));

        var report = await Run();

        Assert.Equal((0, 1), (report.Expired, report.Skipped));
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(order.Id)).Status);
        Assert.Single(await Database.ReadAllAsync<Ticket>());
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Order_with_an_attempt_whose_outcome_Toss_cannot_tell_keeps_its_seats_for_reconciliation()
    {
        var order = await Placed(seat: 1, minutesAgo: 11, then: Declined);
        Gateway.GetByOrderIdAsync(order.Number, Arg.Any<CancellationToken>()).Returns(PaymentPorts.UnknownOutcome);

        var report = await Run();

        Assert.Equal((0, 1), (report.Expired, report.Skipped));
        var stored = await Database.ReadOrderAsync(order.Id);
        Assert.Equal(OrderStatus.PaymentPending, stored.Status);
        Assert.Equal(HandlerDatabase.Start + TimeSpan.FromSeconds(_ports.Policy.CheckBackoffSeconds), stored.PaymentCheckAt);
        Assert.All(stored.Lines, l => Assert.True(l.IsLive));
        await _ports.SeatLock.Received(1).ExtendAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1)), order.Number,
            order.ExpiresAt + _ports.Policy.MaxUnknownHold - HandlerDatabase.Start + PaymentCompletion.LockGrace, Arg.Any<CancellationToken>());
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Theory]
    [InlineData(GatewayOutcomeKind.NotFound)]
    [InlineData(GatewayOutcomeKind.NotPaid)]
    [InlineData(GatewayOutcomeKind.Refused)]
    public async Task Order_with_an_attempt_Toss_reports_unpaid_expires(GatewayOutcomeKind kind)
    {
        var order = await Placed(seat: 1, minutesAgo: 11, then: Declined);
        Gateway.GetByOrderIdAsync(order.Number, Arg.Any<CancellationToken>()).Returns(new GatewayOutcome(kind));

        var report = await Run();

        Assert.Equal(1, report.Expired);
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(order.Id)).Status);
        await _ports.SeatLock.Received(1).ReleaseAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1)), order.Number, Arg.Any<CancellationToken>());
        await Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task Order_with_an_attempt_moved_meanwhile_is_skipped()
    {
        var order = await Placed(seat: 1, minutesAgo: 11, then: Declined);
        Gateway.GetByOrderIdAsync(order.Number, Arg.Any<CancellationToken>()).Returns(PaymentPorts.UnknownOutcome);
        Database.Saves.BeforeNextSave(() => Database.BumpVersionAsync(order.Id));

        var report = await Run();

        // The batch lost the race, so the order was judged again alone: its attempt's outcome is unknown, so it waits.
        Assert.Equal((0, 1), (report.Expired, report.Skipped));
        Assert.Equal(OrderStatus.PaymentPending, (await Database.ReadOrderAsync(order.Id)).Status);
    }

    /// <summary>A confirmation was tried a minute after placing and Toss declined it: pending again, with a paymentKey.</summary>
    private static void Declined(Order o)
    {
        o.BeginPayment("pk_declined", o.CreatedAt.AddMinutes(1), o.CreatedAt.AddMinutes(3));
        o.PaymentDeclined(o.CreatedAt.AddMinutes(1));
    }

    private Task<Order> Placed(int seat, int minutesAgo, Action<Order>? then = null) =>
        Database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(seat)], HandlerDatabase.Start - TimeSpan.FromMinutes(minutesAgo), then);

    private Task<ExpiryReport> Run(int batchSize = ExpireDueOrders.DefaultBatchSize) =>
        new ExpireDueOrdersHandler(Database.Db, _ports.SeatLock, Gateway, _ports.Completion(), _ports.Options, _ports.Clock, NullLogger<ExpireDueOrdersHandler>.Instance)
            .Handle(new ExpireDueOrders(batchSize), CancellationToken.None);
}
