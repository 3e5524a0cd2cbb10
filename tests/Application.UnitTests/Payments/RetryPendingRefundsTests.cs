using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Payments;
using Ticketing.Application.UnitTests.Support;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.UnitTests.Payments;

public sealed class RetryPendingRefundsTests : IAsyncLifetime, IDisposable
{
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
    public async Task A_due_refund_done_at_Toss_is_refunded_once_and_its_seats_return_to_sale()
    {
        var refund = await SeedUnknownRefundAsync(_order, attempts: 1);
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));

        var report = await Handle();

        Assert.Equal((1, 1), (report.Refunded, report.Total));
        await Gateway.Received(1).CancelAsync("pk_paid", refund.Id.ToString("N"), RefundSettlement.Reason, null, Arg.Any<CancellationToken>());
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Refunded, 300_000L), (stored.Status, stored.RefundedAmount));
        Assert.All(stored.Lines, l => Assert.False(l.IsLive));
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.Voided, t.Status));
        var payment = Assert.Single(await Database.ReadAllAsync<Payment>());
        Assert.Equal((PaymentStatus.Cancelled, 0L), (payment.Status, payment.BalanceAmount));
        var done = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.Done, (DateTimeOffset?)null), (done.Status, done.NextAttemptAt));
        await _ports.SeatLock.Received(1).ReleaseSoldAsync(_stage.PerformanceId, PaymentPorts.Seats(_vip, _r), _order.Number, Arg.Any<CancellationToken>());

        // A later run finds nothing to resend: the refund is settled, Toss is not asked again.
        _ports.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await Handle()).Total);
        await Gateway.ReceivedWithAnyArgs(1).CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task A_partial_refund_asks_Toss_for_its_amount_only_and_keeps_the_other_seats_sold()
    {
        var refund = await SeedUnknownRefundAsync(_order, attempts: 1, seatIds: [_r]);
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));

        var report = await Handle();

        Assert.Equal(1, report.Refunded);
        await Gateway.Received(1).CancelAsync("pk_paid", refund.Id.ToString("N"), RefundSettlement.Reason, 100_000L, Arg.Any<CancellationToken>());
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Paid, 100_000L), (stored.Status, stored.RefundedAmount));
        var tickets = await Database.ReadAllAsync<Ticket>();
        Assert.Equal(TicketStatus.Valid, tickets.Single(t => t.SeatId == _vip).Status);
        Assert.Equal(TicketStatus.Voided, tickets.Single(t => t.SeatId == _r).Status);
        Assert.Equal(200_000L, Assert.Single(await Database.ReadAllAsync<Payment>()).BalanceAmount);
        await _ports.SeatLock.Received(1).ReleaseSoldAsync(_stage.PerformanceId, PaymentPorts.Seats(_r), _order.Number, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Only_refunds_whose_next_attempt_is_due_are_sent()
    {
        var other = (await Database.SeedPaidOrderAsync(_stage, _fan, [_stage.SeatId(2)], HandlerDatabase.Start, "pk_other")).Order;
        var due = await SeedUnknownRefundAsync(_order, attempts: 1, nextAttemptIn: TimeSpan.FromSeconds(30));
        var later = await SeedUnknownRefundAsync(other, attempts: 1, nextAttemptIn: TimeSpan.FromMinutes(10));
        _ports.Clock.Advance(TimeSpan.FromSeconds(30));

        var first = await Handle();

        Assert.Equal((1, 1), (first.Refunded, first.Total));
        await Gateway.Received(1).CancelAsync("pk_paid", due.Id.ToString("N"), Arg.Any<string>(), Arg.Any<long?>(), Arg.Any<CancellationToken>());
        await Gateway.DidNotReceive().CancelAsync("pk_other", Arg.Any<string>(), Arg.Any<string>(), Arg.Any<long?>(), Arg.Any<CancellationToken>());
        Assert.Equal(RefundStatus.OutcomeUnknown, (await ReadRefundAsync(later.Id)).Status);
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(other.Id)).Status);

        _ports.Clock.Advance(TimeSpan.FromMinutes(10));
        var second = await Handle();

        Assert.Equal((1, 1), (second.Refunded, second.Total));
        await Gateway.Received(1).CancelAsync("pk_other", later.Id.ToString("N"), Arg.Any<string>(), Arg.Any<long?>(), Arg.Any<CancellationToken>());
        Assert.Equal(OrderStatus.Refunded, (await Database.ReadOrderAsync(other.Id)).Status);
    }

    [Fact]
    public async Task A_requested_refund_whose_answer_was_never_recorded_is_sent_once_it_is_due()
    {
        // The process that sent the cancel died before recording anything: the refund is still Requested, due at CheckAfter.
        var refund = await SeedRefundAsync(_order, [_vip, _r], r => { });
        Assert.Equal(HandlerDatabase.Start + _ports.Policy.CheckAfter, refund.NextAttemptAt);
        _ports.Clock.Advance(_ports.Policy.CheckAfter - TimeSpan.FromSeconds(1));

        Assert.Equal(0, (await Handle()).Total);
        await Gateway.DidNotReceiveWithAnyArgs().CancelAsync(default!, default!, default!, default, default);

        _ports.Clock.Advance(TimeSpan.FromSeconds(1));
        var report = await Handle();

        Assert.Equal(1, report.Refunded);
        await Gateway.Received(1).CancelAsync("pk_paid", refund.Id.ToString("N"), RefundSettlement.Reason, null, Arg.Any<CancellationToken>());
        Assert.Equal(OrderStatus.Refunded, (await Database.ReadOrderAsync(_order.Id)).Status);
    }

    [Fact]
    public async Task A_refund_refused_by_Toss_is_failed_with_its_code_and_nothing_is_refunded()
    {
        await SeedUnknownRefundAsync(_order, attempts: 1);
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(new GatewayOutcome(GatewayOutcomeKind.Refused, null, "NOT_CANCELABLE_PAYMENT", "Not cancelable"));

        var report = await Handle();

        Assert.Equal((1, 1), (report.Refused, report.Total));
        var failed = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.Failed, "NOT_CANCELABLE_PAYMENT", (DateTimeOffset?)null), (failed.Status, failed.FailureCode, failed.NextAttemptAt));
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Paid, 0L), (stored.Status, stored.RefundedAmount));
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.Valid, t.Status));
        Assert.Equal(300_000L, Assert.Single(await Database.ReadAllAsync<Payment>()).BalanceAmount);
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseSoldAsync(default, default!, default!, default);

        // Refused is final: later runs do not resend it.
        _ports.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await Handle()).Total);
        await Gateway.ReceivedWithAnyArgs(1).CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task A_refund_still_unknown_is_resent_later_with_a_growing_backoff()
    {
        await SeedUnknownRefundAsync(_order, attempts: 1);
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));
        var sentAt = _ports.Clock.GetUtcNow();

        var report = await Handle();

        Assert.Equal((1, 1), (report.StillUnknown, report.Total));
        var pending = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.OutcomeUnknown, 2, "TIMEOUT"), (pending.Status, pending.Attempts, pending.FailureCode));
        // Second unanswered send: twice the first wait (30 s → 60 s with the default policy).
        Assert.Equal(sentAt + _ports.Policy.NextCheckDelay(1), pending.NextAttemptAt);
        Assert.Equal(_ports.Policy.NextCheckDelay(0) * 2, _ports.Policy.NextCheckDelay(1));
        Assert.Equal(OrderStatus.Paid, (await Database.ReadOrderAsync(_order.Id)).Status);
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.RefundPending, t.Status));

        // Not before the backoff has passed.
        _ports.Clock.Advance(_ports.Policy.NextCheckDelay(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await Handle()).Total);
        await Gateway.ReceivedWithAnyArgs(1).CancelAsync(default!, default!, default!, default, default);

        _ports.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await Handle()).StillUnknown);
        await Gateway.ReceivedWithAnyArgs(2).CancelAsync(default!, default!, default!, default, default);
        Assert.Equal(3, (await ReadRefundAsync(pending.Id)).Attempts);
    }

    [Fact]
    public async Task A_refund_still_unknown_on_the_last_allowed_attempt_is_abandoned_and_never_resent()
    {
        _ports.Policy.RefundMaxAttempts = 3;
        await SeedUnknownRefundAsync(_order, attempts: 2);
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(GatewayOutcome.Unknown("PROVIDER_ERROR", "503"));
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));

        var report = await Handle();

        Assert.Equal((1, 1), (report.Abandoned, report.Total));
        var abandoned = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.Abandoned, 3, "PROVIDER_ERROR", (DateTimeOffset?)null), (abandoned.Status, abandoned.Attempts, abandoned.FailureCode, abandoned.NextAttemptAt));
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal((OrderStatus.Paid, 0L), (stored.Status, stored.RefundedAmount));
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.RefundPending, t.Status));

        _ports.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await Handle()).Total);
        await Gateway.ReceivedWithAnyArgs(1).CancelAsync(default!, default!, default!, default, default);
    }

    [Fact]
    public async Task Every_resend_of_a_refund_uses_the_same_Toss_key_and_the_money_moves_once()
    {
        var refund = await SeedUnknownRefundAsync(_order, attempts: 1);
        Gateway.CancelAsync(default!, default!, default!, default, default)
            .ReturnsForAnyArgs(PaymentPorts.UnknownOutcome, PaymentPorts.UnknownOutcome, PaymentPorts.Cancelled);

        for (var run = 0; run < 3; run++)
        {
            _ports.Clock.Advance(TimeSpan.FromMinutes(15));
            await Handle();
        }

        var keys = Gateway.ReceivedCalls().Where(c => c.GetMethodInfo().Name == nameof(IPaymentGateway.CancelAsync)).Select(c => (string)c.GetArguments()[1]!).ToList();
        Assert.Equal(Enumerable.Repeat(refund.Id.ToString("N"), 3), keys);
        var done = Assert.Single(await Database.ReadAllAsync<Refund>());
        Assert.Equal((RefundStatus.Done, 3), (done.Status, done.Attempts));
        Assert.Equal(300_000L, (await Database.ReadOrderAsync(_order.Id)).RefundedAmount);
        var payment = Assert.Single(await Database.ReadAllAsync<Payment>());
        Assert.Equal((PaymentStatus.Cancelled, 0L), (payment.Status, payment.BalanceAmount));
        await _ports.SeatLock.ReceivedWithAnyArgs(1).ReleaseSoldAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task A_refund_settled_concurrently_by_the_fans_repeat_is_skipped_and_its_outcome_stands()
    {
        var refund = await SeedUnknownRefundAsync(_order, attempts: 1);
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));
        // Between Toss's answer and our save, the fan's repeat of the cancellation records the refund as done.
        // (Staged as that writer's row changes: the refund's status and the order's version move under this run.)
        Database.Saves.BeforeNextSave(async () =>
        {
            await using var other = Database.NewContext();
            await other.Refunds.Where(r => r.Id == refund.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RefundStatus.Done));
            await Database.BumpVersionAsync(_order.Id);
        });

        var report = await Handle();

        Assert.Equal((1, 0, 1), (report.Skipped, report.Refunded, report.Total));
        Assert.Equal(RefundStatus.Done, (await ReadRefundAsync(refund.Id)).Status);
        // This run recorded nothing on top of the other writer's outcome: no second refund of the money or the seats.
        Assert.Equal(0L, (await Database.ReadOrderAsync(_order.Id)).RefundedAmount);
        Assert.Equal(300_000L, Assert.Single(await Database.ReadAllAsync<Payment>()).BalanceAmount);
        Assert.All(await Database.ReadAllAsync<Ticket>(), t => Assert.Equal(TicketStatus.RefundPending, t.Status));
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().ReleaseSoldAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task One_refund_that_fails_to_save_is_skipped_and_the_others_are_still_settled()
    {
        var other = (await Database.SeedPaidOrderAsync(_stage, _fan, [_stage.SeatId(2)], HandlerDatabase.Start, "pk_other")).Order;
        var first = await SeedUnknownRefundAsync(_order, attempts: 1, nextAttemptIn: TimeSpan.FromSeconds(30));
        var second = await SeedUnknownRefundAsync(other, attempts: 1, nextAttemptIn: TimeSpan.FromSeconds(60));
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));
        Database.Saves.FailNextSave(new InvalidOperationException("database down"));

        var report = await Handle();

        Assert.Equal((1, 1), (report.Skipped, report.Refunded));
        // The failed one is still open and due: the next run resends it under the same key.
        var stillDue = await ReadRefundAsync(first.Id);
        Assert.Equal(RefundStatus.OutcomeUnknown, stillDue.Status);
        Assert.True(stillDue.NextAttemptAt <= _ports.Clock.GetUtcNow());
        Assert.Equal(RefundStatus.Done, (await ReadRefundAsync(second.Id)).Status);

        Assert.Equal(1, (await Handle()).Refunded);
        await Gateway.Received(2).CancelAsync("pk_paid", first.Id.ToString("N"), Arg.Any<string>(), Arg.Any<long?>(), Arg.Any<CancellationToken>());
        Assert.Equal(300_000L, (await Database.ReadOrderAsync(_order.Id)).RefundedAmount);
    }

    private async Task<RefundRetryReport> Handle()
    {
        // One run, one scope: a fresh start from what the database has.
        Database.Db.ChangeTracker.Clear();
        return await new RetryPendingRefundsHandler(Database.Db, _ports.Settlement(), _ports.Clock, NullLogger<RetryPendingRefundsHandler>.Instance)
            .Handle(new RetryPendingRefunds(), CancellationToken.None);
    }

    /// <summary>A refund of <paramref name="seatIds"/> (all seats by default) sent <paramref name="attempts"/> times without a known outcome.</summary>
    private Task<Refund> SeedUnknownRefundAsync(Order order, int attempts, TimeSpan? nextAttemptIn = null, long[]? seatIds = null) =>
        SeedRefundAsync(order, seatIds ?? order.Lines.Select(l => l.SeatId).ToArray(), refund =>
        {
            for (var i = 0; i < attempts; i++)
            {
                refund.OutcomeUnknown(HandlerDatabase.Start, "TIMEOUT", nextAttemptIn ?? _ports.Policy.NextCheckDelay(i), _ports.Policy.RefundMaxAttempts);
            }
        });

    /// <summary>A refund requested now for <paramref name="seatIds"/> of the paid <paramref name="order"/>, as the fan's cancellation stores it.</summary>
    private async Task<Refund> SeedRefundAsync(Order order, IReadOnlyList<long> seatIds, Action<Refund> then)
    {
        await using var db = Database.NewContext();
        var tracked = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == order.Id);
        var now = _ports.Clock.GetUtcNow();
        var (gross, fee) = tracked.QuoteRefund(seatIds, now);
        var refund = Refund.Request(order.Id, seatIds, gross, fee, now, _ports.Policy.CheckAfter);
        tracked.RefundRequested(now);
        foreach (var ticket in await db.Tickets.Where(t => t.OrderId == order.Id && seatIds.Contains(t.SeatId)).ToListAsync())
        {
            ticket.HoldForRefund();
        }

        then(refund);
        db.Refunds.Add(refund);
        await db.SaveChangesAsync();
        return refund;
    }

    private async Task<Refund> ReadRefundAsync(Guid id)
    {
        await using var db = Database.NewContext();
        return await db.Refunds.AsNoTracking().SingleAsync(r => r.Id == id);
    }
}
