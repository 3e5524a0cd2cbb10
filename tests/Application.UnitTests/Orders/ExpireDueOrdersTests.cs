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
    public async Task Order_with_a_payment_attempt_is_handed_to_reconciliation_without_asking_the_provider()
    {
        var attempted = await Placed(seat: 1, minutesAgo: 11, then: Declined);
        var plain = await Placed(seat: 2, minutesAgo: 11);

        var report = await Run();

        // The plain hold expires in the same run; the attempted one keeps its seats, due for reconciliation now.
        Assert.Equal((1, 0, 1), (report.Expired, report.Skipped, report.HandedToReconciliation));
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(plain.Id)).Status);
        var stored = await Database.ReadOrderAsync(attempted.Id);
        Assert.Equal(OrderStatus.PaymentPending, stored.Status);
        Assert.Equal(HandlerDatabase.Start, stored.PaymentCheckAt);
        Assert.All(stored.Lines, l => Assert.True(l.IsLive));
        Assert.Empty(await Database.ReadAllAsync<Ticket>());
        await _ports.SeatLock.Received(1).ExtendAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1)), attempted.Number,
            attempted.ExpiresAt + _ports.Policy.MaxUnknownHold - HandlerDatabase.Start + PaymentCompletion.LockGrace, Arg.Any<CancellationToken>());
        await _ports.SeatLock.DidNotReceive().ReleaseAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1)), attempted.Number, Arg.Any<CancellationToken>());
        Assert.Empty(Gateway.ReceivedCalls());
    }

    [Fact]
    public async Task Order_with_an_attempt_moved_meanwhile_is_judged_alone_and_still_handed_over()
    {
        var order = await Placed(seat: 1, minutesAgo: 11, then: Declined);
        Database.Saves.BeforeNextSave(() => Database.BumpVersionAsync(order.Id));

        var report = await Run();

        // The batch lost the race, so the order was judged again alone: still pending, so reconciliation gets it.
        Assert.Equal((0, 0, 1), (report.Expired, report.Skipped, report.HandedToReconciliation));
        Assert.Equal(OrderStatus.PaymentPending, (await Database.ReadOrderAsync(order.Id)).Status);
        Assert.Empty(Gateway.ReceivedCalls());
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
        new ExpireDueOrdersHandler(Database.Db, _ports.SeatLock, _ports.Completion(), _ports.Options, _ports.Clock, NullLogger<ExpireDueOrdersHandler>.Instance,
                _ports.ReturnedSeats())
            .Handle(new ExpireDueOrders(batchSize), CancellationToken.None);
}
