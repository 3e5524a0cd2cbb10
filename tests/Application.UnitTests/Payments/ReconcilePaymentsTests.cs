using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Payments;
using Ticketing.Application.UnitTests.Support;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.UnitTests.Payments;

public sealed class ReconcilePaymentsTests : IAsyncLifetime, IDisposable
{
    /// <summary>Confirmations start at the clock's start; reconciliation may first ask two minutes later.</summary>
    private static readonly DateTimeOffset FirstCheck = HandlerDatabase.Start + TimeSpan.FromMinutes(2);

    private readonly PaymentPorts _ports = new();
    private Stage _stage = null!;

    public async Task InitializeAsync()
    {
        _stage = await Database.SeedPerformanceAsync(seats: 8);
        _ports.Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.Cancelled);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _ports.Dispose();

    private HandlerDatabase Database => _ports.Database;

    private IPaymentGateway Gateway => _ports.Gateway;

    [Fact]
    public async Task Only_orders_whose_check_is_due_are_looked_up()
    {
        var due = await Paying(1);
        var later = await Paying(2, checkAt: FirstCheck.AddSeconds(1));
        var pending = await Database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(3)]);
        GivenToss(due, PaymentPorts.UnknownOutcome);
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);

        var report = await Run();

        Assert.Equal(1, report.Total);
        await Gateway.Received(1).GetByOrderIdAsync(due.Number, Arg.Any<CancellationToken>());
        await Gateway.DidNotReceive().GetByOrderIdAsync(later.Number, Arg.Any<CancellationToken>());
        await Gateway.DidNotReceive().GetByOrderIdAsync(pending.Number, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_run_takes_at_most_its_batch_the_longest_due_first()
    {
        var third = await Paying(1, checkAt: FirstCheck.AddSeconds(-1));
        var first = await Paying(2, checkAt: FirstCheck.AddSeconds(-3));
        var second = await Paying(3, checkAt: FirstCheck.AddSeconds(-2));
        Gateway.GetByOrderIdAsync(default!, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);

        var report = await Run(batchSize: 2);

        Assert.Equal(2, report.Deferred);
        Assert.Equal([first.Number, second.Number], Gateway.ReceivedCalls().Select(c => (string)c.GetArguments()[0]!));
        Assert.Equal(FirstCheck.AddSeconds(-1), (await Database.ReadOrderAsync(third.Id)).PaymentCheckAt);
    }

    [Fact]
    public async Task Approved_payment_of_an_order_holding_its_seats_completes_it_with_tickets()
    {
        var order = await Paying(1);
        GivenToss(order, PaymentPorts.ApprovedOutcome(order));
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);

        var report = await Run();

        Assert.Equal(1, report.Paid);
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(order.Id)).Status);
        Assert.Single(await Database.ReadAllAsync<Ticket>());
        await Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task Approved_payment_of_an_order_that_lost_its_seats_is_refunded_in_full()
    {
        var order = await Paying(1, releasedStillChecking: true);
        GivenToss(order, PaymentPorts.ApprovedOutcome(order));
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);

        var report = await Run();

        Assert.Equal(1, report.Refunded);
        await Gateway.Received(1).CancelAsync("pk_1", $"late-{order.Number}", Arg.Any<string>(), null, Arg.Any<CancellationToken>());
        var stored = await Database.ReadOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Expired, stored.Status);
        Assert.Null(stored.PaymentCheckAt);
        Assert.Equal(PaymentStatus.Cancelled, Assert.Single(await Database.ReadAllAsync<Payment>()).Status);
        Assert.Empty(await Database.ReadAllAsync<Ticket>());
    }

    [Fact]
    public async Task Late_refund_that_Toss_does_not_confirm_is_asked_again_later()
    {
        var order = await Paying(1, releasedStillChecking: true);
        GivenToss(order, PaymentPorts.ApprovedOutcome(order));
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);

        var report = await Run();

        Assert.Equal(1, report.Deferred);
        var stored = await Database.ReadOrderAsync(order.Id);
        Assert.Equal(FirstCheck + TimeSpan.FromSeconds(30), stored.PaymentCheckAt);
        Assert.Empty(await Database.ReadAllAsync<Payment>());
    }

    [Fact]
    public async Task Unknown_outcome_is_asked_again_with_doubling_backoff_up_to_the_maximum()
    {
        var order = await Paying(1);
        GivenToss(order, PaymentPorts.UnknownOutcome);
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);
        var waits = new List<TimeSpan>();

        for (var run = 0; run < 7; run++)
        {
            Assert.Equal(1, (await Run()).Deferred);
            var next = (await Database.ReadOrderAsync(order.Id)).PaymentCheckAt!.Value;
            waits.Add(next - _ports.Clock.GetUtcNow());
            _ports.Clock.Advance(next - _ports.Clock.GetUtcNow());
        }

        Assert.Equal(new[] { 30, 60, 120, 240, 480, 600, 600 }.Select(s => TimeSpan.FromSeconds(s)), waits);
        var stored = await Database.ReadOrderAsync(order.Id);
        Assert.Equal((OrderStatus.PaymentPending, 7), (stored.Status, stored.PaymentChecks));
        Assert.All(stored.Lines, l => Assert.True(l.IsLive));
    }

    [Fact]
    public async Task Deferred_order_keeps_its_seat_locks_until_the_unknown_hold_cap()
    {
        var order = await Paying(1);
        GivenToss(order, PaymentPorts.UnknownOutcome);
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);

        await Run();

        var cap = order.ExpiresAt + _ports.Policy.MaxUnknownHold;
        await _ports.SeatLock.Received(1).ExtendAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1)), order.Number, cap - FirstCheck + PaymentCompletion.LockGrace, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Unknown_outcome_past_the_unknown_hold_cap_releases_the_seats_but_keeps_asking()
    {
        var order = await Paying(1);
        GivenToss(order, PaymentPorts.UnknownOutcome);
        _ports.Clock.Advance(order.ExpiresAt + _ports.Policy.MaxUnknownHold - HandlerDatabase.Start);

        var report = await Run();

        Assert.Equal(1, report.Released);
        var stored = await Database.ReadOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Expired, stored.Status);
        Assert.All(stored.Lines, l => Assert.False(l.IsLive));
        Assert.Equal(_ports.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), stored.PaymentCheckAt);
        await _ports.SeatLock.Received(1).ReleaseAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1)), order.Number, Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData(GatewayOutcomeKind.NotFound, null)]
    [InlineData(GatewayOutcomeKind.NotPaid, "IN_PROGRESS")]
    public async Task No_approved_payment_inside_the_confirmation_window_is_not_final(GatewayOutcomeKind kind, string? status)
    {
        var order = await Paying(1);
        GivenToss(order, Outcome(order, kind, status));
        _ports.Clock.Advance(PaymentPolicy.ConfirmWindow - TimeSpan.FromSeconds(1));

        var report = await Run();

        Assert.Equal(1, report.Deferred);
        Assert.Equal(OrderStatus.PaymentPending, (await Database.ReadOrderAsync(order.Id)).Status);
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Theory]
    [InlineData(GatewayOutcomeKind.NotFound, null)]
    [InlineData(GatewayOutcomeKind.NotPaid, "IN_PROGRESS")]
    [InlineData(GatewayOutcomeKind.Refused, null)]
    [InlineData(GatewayOutcomeKind.Cancelled, "CANCELED")]
    public async Task No_approved_payment_after_the_confirmation_window_releases_the_seats(GatewayOutcomeKind kind, string? status)
    {
        var order = await Paying(1);
        GivenToss(order, Outcome(order, kind, status));
        _ports.Clock.Advance(PaymentPolicy.ConfirmWindow);

        var report = await Run();

        Assert.Equal(1, report.Released);
        var stored = await Database.ReadOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Expired, stored.Status);
        Assert.Null(stored.PaymentCheckAt);
        await _ports.SeatLock.Received(1).ReleaseAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1)), order.Number, Arg.Any<CancellationToken>());
        await Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);
    }

    [Theory]
    [InlineData("ABORTED")]
    [InlineData("EXPIRED")]
    public async Task Payment_that_ended_unpaid_is_final_even_inside_the_confirmation_window(string status)
    {
        var order = await Paying(1);
        GivenToss(order, Outcome(order, GatewayOutcomeKind.NotPaid, status));
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);

        var report = await Run();

        Assert.Equal(1, report.Released);
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Unpaid_answer_for_an_order_already_released_settles_its_question()
    {
        var order = await Paying(1, releasedStillChecking: true);
        GivenToss(order, new GatewayOutcome(GatewayOutcomeKind.NotFound));
        _ports.Clock.Advance(PaymentPolicy.ConfirmWindow);

        var report = await Run();

        Assert.Equal(1, report.Skipped);
        var stored = await Database.ReadOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Expired, stored.Status);
        Assert.Null(stored.PaymentCheckAt);
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Order_moved_by_a_confirmation_meanwhile_is_skipped_and_its_outcome_stands()
    {
        var order = await Paying(1);
        GivenToss(order, PaymentPorts.UnknownOutcome);
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);
        Database.Saves.BeforeNextSave(() => Database.BumpVersionAsync(order.Id));

        var report = await Run();

        Assert.Equal(1, report.Skipped);
        var stored = await Database.ReadOrderAsync(order.Id);
        Assert.Equal((FirstCheck, 0), (stored.PaymentCheckAt!.Value, stored.PaymentChecks));
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ExtendAsync(default, default!, default!, default, default);
    }

    [Fact]
    public async Task One_orders_failure_does_not_stop_the_others_and_it_stays_due()
    {
        var failing = await Paying(1, checkAt: FirstCheck.AddSeconds(-1));
        var fine = await Paying(2);
        Gateway.GetByOrderIdAsync(failing.Number, Arg.Any<CancellationToken>()).ThrowsAsync(new HttpRequestException("connection reset"));
        GivenToss(fine, PaymentPorts.ApprovedOutcome(fine));
        _ports.Clock.Advance(FirstCheck - HandlerDatabase.Start);

        var report = await Run();

        Assert.Equal((1, 1), (report.Paid, report.Skipped));
        Assert.Equal(FirstCheck.AddSeconds(-1), (await Database.ReadOrderAsync(failing.Id)).PaymentCheckAt);
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(fine.Id)).Status);
    }

    /// <summary>An order of seat <paramref name="seat"/> whose confirmation started at the clock's start and whose outcome is open.</summary>
    private Task<Order> Paying(int seat, DateTimeOffset? checkAt = null, bool releasedStillChecking = false) =>
        Database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(seat)], then: o =>
        {
            o.BeginPayment("pk_1", HandlerDatabase.Start, checkAt ?? FirstCheck);
            if (releasedStillChecking)
            {
                o.ReleaseUnpaid(HandlerDatabase.Start, keepChecking: true);
            }
        });

    private void GivenToss(Order order, GatewayOutcome outcome) =>
        Gateway.GetByOrderIdAsync(order.Number, Arg.Any<CancellationToken>()).Returns(outcome);

    private static GatewayOutcome Outcome(Order order, GatewayOutcomeKind kind, string? status) =>
        new(kind, status is null ? null : new GatewayPayment("pk_1", order.Number, status, order.TotalAmount, order.TotalAmount, "CARD", null));

    private Task<ReconciliationReport> Run(int batchSize = ReconcilePayments.DefaultBatchSize) =>
        new ReconcilePaymentsHandler(Database.Db, Gateway, _ports.Completion(), _ports.Clock, _ports.Options, NullLogger<ReconcilePaymentsHandler>.Instance)
            .Handle(new ReconcilePayments(batchSize), CancellationToken.None);
}
