using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Payments;
using Ticketing.Application.UnitTests.Support;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.UnitTests.Payments;

public sealed class ConfirmPaymentTests : IAsyncLifetime, IDisposable
{
    private readonly PaymentPorts _ports = new();
    private readonly IUniqueViolationDetector _uniqueViolations = Substitute.For<IUniqueViolationDetector>();
    private readonly Guid _fan = Guid.NewGuid();
    private Stage _stage = null!;
    private Order _order = null!;

    public async Task InitializeAsync()
    {
        // The production detector is internal to Infrastructure; this one reads SQLite's constraint error the same way.
        _uniqueViolations.IsUniqueViolation(Arg.Any<DbUpdateException>())
            .Returns(c => c.Arg<DbUpdateException>().InnerException is SqliteException { SqliteErrorCode: 19 });
        _stage = await _ports.Database.SeedPerformanceAsync();
        _order = await _ports.Database.SeedPendingOrderAsync(_stage, _fan, [_stage.SeatId(1), _stage.SeatId(5)]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _ports.Dispose();

    private HandlerDatabase Database => _ports.Database;

    private IPaymentGateway Gateway => _ports.Gateway;

    [Fact]
    public async Task Approved_payment_marks_the_order_paid_with_one_ticket_per_seat_and_sells_the_locks()
    {
        Gateway.ConfirmAsync("pk_1", _order.Number, 300_000, Arg.Any<CancellationToken>()).Returns(PaymentPorts.ApprovedOutcome(_order));

        var result = await Handle(Confirm());

        Assert.True(result.IsSuccess);
        Assert.Equal("paid", result.Value.Status);
        Assert.Equal(300_000, result.Value.Amount);
        Assert.Equal([_stage.SeatId(1), _stage.SeatId(5)], result.Value.Tickets.Select(t => t.SeatId));
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal(OrderStatus.Paid, stored.Status);
        Assert.Null(stored.PaymentCheckAt);
        Assert.Equal(2, (await Database.ReadAllAsync<Ticket>()).Count(t => t.OrderId == _order.Id && t.Status == TicketStatus.Valid));
        var payment = Assert.Single(await Database.ReadAllAsync<Payment>());
        Assert.Equal(("pk_1", 300_000L), (payment.PaymentKey, payment.Amount));
        await Gateway.Received(1).ConfirmAsync("pk_1", _order.Number, 300_000, Arg.Any<CancellationToken>());
        await _ports.SeatLock.Received(1).MarkSoldAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1), _stage.SeatId(5)), _order.Number, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Confirmation_keeps_the_seats_locked_until_reconciliation_could_first_ask()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.ApprovedOutcome(_order));

        await Handle(Confirm());

        // Before calling Toss: until the later of the deadline and the first check, plus the grace.
        await _ports.SeatLock.Received(1).ExtendAsync(_stage.PerformanceId, PaymentPorts.Seats(_stage.SeatId(1), _stage.SeatId(5)), _order.Number,
            _order.ExpiresAt - HandlerDatabase.Start + PaymentCompletion.LockGrace, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Confirmation_of_another_fans_order_is_not_found_and_nothing_is_sent_to_Toss()
    {
        var result = await Handle(Confirm() with { FanId = Guid.NewGuid() });

        AssertError(result, ErrorKind.NotFound, "order.not_found");
        await AssertNothingSentToToss();
        Assert.Equal(OrderStatus.Pending, (await Database.ReadOrderAsync(_order.Id)).Status);
    }

    [Fact]
    public async Task Confirmation_with_an_order_id_that_is_no_order_number_is_not_found()
    {
        var result = await Handle(Confirm() with { OrderId = "not-a-guid-at-all" });

        AssertError(result, ErrorKind.NotFound, "order.not_found");
        await AssertNothingSentToToss();
    }

    [Fact]
    public async Task Amount_other_than_the_order_total_is_refused_and_nothing_is_sent_to_Toss()
    {
        var result = await Handle(Confirm(amount: 1_000));

        AssertError(result, ErrorKind.Validation, "payment.amount_mismatch");
        Assert.Equal(["The order total is 300000."], result.Error!.Fields!["amount"]);
        await AssertNothingSentToToss();
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal(OrderStatus.Pending, stored.Status);
        Assert.Null(stored.PaymentKey);
    }

    [Fact]
    public async Task Confirmation_at_the_hold_deadline_is_refused_and_nothing_is_sent_to_Toss()
    {
        _ports.Clock.Advance(_order.ExpiresAt - HandlerDatabase.Start);

        var result = await Handle(Confirm());

        AssertError(result, ErrorKind.Conflict, "order.not_payable");
        await AssertNothingSentToToss();
    }

    [Fact]
    public async Task Confirmation_of_a_closed_order_is_refused_and_nothing_is_sent_to_Toss()
    {
        var cancelled = await Database.SeedPendingOrderAsync(_stage, _fan, [_stage.SeatId(2)], then: o => o.Cancel(HandlerDatabase.Start));

        var result = await Handle(Confirm(cancelled));

        AssertError(result, ErrorKind.Conflict, "order.not_payable");
        await AssertNothingSentToToss();
    }

    [Fact]
    public async Task Confirmation_racing_another_change_of_the_order_is_refused_before_Toss()
    {
        Database.Saves.BeforeNextSave(() => Database.BumpVersionAsync(_order.Id));

        var result = await Handle(Confirm());

        AssertError(result, ErrorKind.Conflict, "order.changed");
        await AssertNothingSentToToss();
        Assert.Equal(OrderStatus.Pending, (await Database.ReadOrderAsync(_order.Id)).Status);
    }

    [Fact]
    public async Task Declined_payment_makes_the_order_payable_again_and_charges_nothing()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(new GatewayOutcome(GatewayOutcomeKind.Refused, null, "REJECT_CARD_COMPANY", "Card declined"));

        var result = await Handle(Confirm());

        AssertError(result, ErrorKind.PaymentRequired, "payment.declined");
        Assert.Equal("REJECT_CARD_COMPANY", result.Error!.Data!["tossCode"]);
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal(OrderStatus.Pending, stored.Status);
        Assert.Null(stored.PaymentCheckAt);
        Assert.All(stored.Lines, l => Assert.True(l.IsLive));
        Assert.Empty(await Database.ReadAllAsync<Payment>());
        Assert.Empty(await Database.ReadAllAsync<Ticket>());
        await _ports.SeatLock.DidNotReceiveWithAnyArgs().MarkSoldAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Declined_order_can_be_paid_with_another_card_before_its_deadline()
    {
        Gateway.ConfirmAsync("pk_declined", default!, default, default).ReturnsForAnyArgs(new GatewayOutcome(GatewayOutcomeKind.Refused, null, "REJECT_CARD_COMPANY", "Card declined"));
        await Handle(Confirm(paymentKey: "pk_declined"));
        Gateway.ConfirmAsync("pk_2", _order.Number, 300_000, Arg.Any<CancellationToken>()).Returns(PaymentPorts.ApprovedOutcome(_order, "pk_2"));

        var result = await Handle(Confirm(paymentKey: "pk_2"));

        Assert.Equal("paid", result.Value.Status);
        Assert.Equal("pk_2", Assert.Single(await Database.ReadAllAsync<Payment>()).PaymentKey);
    }

    [Fact]
    public async Task Refusal_for_our_own_configuration_is_reported_as_unavailable_not_as_the_fans_card()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(new GatewayOutcome(GatewayOutcomeKind.Refused, null, "UNAUTHORIZED_KEY", "bad key"));

        var result = await Handle(Confirm());

        AssertError(result, ErrorKind.Unavailable, "payment.provider_unavailable");
        Assert.Equal(OrderStatus.Pending, (await Database.ReadOrderAsync(_order.Id)).Status);
    }

    [Fact]
    public async Task Unknown_outcome_answers_payment_pending_and_keeps_the_seats_for_reconciliation()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);

        var result = await Handle(Confirm());

        Assert.True(result.IsSuccess);
        Assert.Equal("paymentPending", result.Value.Status);
        Assert.Empty(result.Value.Tickets);
        var stored = await Database.ReadOrderAsync(_order.Id);
        Assert.Equal(OrderStatus.PaymentPending, stored.Status);
        Assert.Equal(HandlerDatabase.Start + _ports.Policy.CheckAfter, stored.PaymentCheckAt);
        Assert.All(stored.Lines, l => Assert.True(l.IsLive));
        await _ports.SeatLock.Received(1).ExtendAsync(_stage.PerformanceId, Arg.Any<IReadOnlyList<long>>(), _order.Number,
            _order.ExpiresAt + _ports.Policy.MaxUnknownHold - HandlerDatabase.Start + PaymentCompletion.LockGrace, Arg.Any<CancellationToken>());
        Assert.Empty(await Database.ReadAllAsync<Payment>());
    }

    [Fact]
    public async Task Same_payment_key_again_for_a_paid_order_answers_paid_without_asking_Toss_again()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.ApprovedOutcome(_order));
        var first = await Handle(Confirm());

        var again = await Handle(Confirm());

        Assert.Equal(first.Value.Tickets.Select(t => t.Id), again.Value.Tickets.Select(t => t.Id));
        Assert.Equal("paid", again.Value.Status);
        await Gateway.ReceivedWithAnyArgs(1).ConfirmAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task Same_payment_key_again_while_the_outcome_is_open_answers_payment_pending_without_asking_Toss()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);
        await Handle(Confirm());

        var again = await Handle(Confirm());

        Assert.Equal("paymentPending", again.Value.Status);
        await Gateway.ReceivedWithAnyArgs(1).ConfirmAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task A_different_second_payment_for_a_paid_order_is_refused_and_not_sent_to_Toss()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.ApprovedOutcome(_order));
        await Handle(Confirm());
        Gateway.ClearReceivedCalls();

        var second = await Handle(Confirm(paymentKey: "pk_other"));

        AssertError(second, ErrorKind.Conflict, "payment.already_paid");
        await AssertNothingSentToToss();
        Assert.Single(await Database.ReadAllAsync<Payment>());
    }

    [Fact]
    public async Task A_different_payment_while_one_is_in_progress_is_refused_and_not_sent_to_Toss()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);
        await Handle(Confirm());
        Gateway.ClearReceivedCalls();

        var second = await Handle(Confirm(paymentKey: "pk_other"));

        AssertError(second, ErrorKind.Conflict, "payment.in_progress");
        await AssertNothingSentToToss();
    }

    [Fact]
    public async Task Replay_of_the_same_idempotency_key_returns_the_first_answer_and_calls_Toss_once()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.ApprovedOutcome(_order));
        var first = await Handle(Confirm(key: "idem-1"));

        var replay = await Handle(Confirm(key: "idem-1"));

        Assert.Equal(first.Value, replay.Value with { Tickets = first.Value.Tickets });
        Assert.Equal(first.Value.Tickets, replay.Value.Tickets);
        await Gateway.ReceivedWithAnyArgs(1).ConfirmAsync(default!, default!, default, default);
        var record = Assert.Single(await Database.ReadAllAsync<IdempotencyRecord>());
        Assert.NotNull(record.CompletedAt);
    }

    [Fact]
    public async Task Replay_of_a_declined_confirmation_returns_the_same_refusal_without_a_second_charge_attempt()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(new GatewayOutcome(GatewayOutcomeKind.Refused, null, "REJECT_CARD_COMPANY", "Card declined"));
        await Handle(Confirm(key: "idem-1"));

        var replay = await Handle(Confirm(key: "idem-1"));

        AssertError(replay, ErrorKind.PaymentRequired, "payment.declined");
        Assert.Equal("REJECT_CARD_COMPANY", replay.Error!.Data!["tossCode"]);
        await Gateway.ReceivedWithAnyArgs(1).ConfirmAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task A_retry_of_an_unknown_outcome_reads_the_order_again_and_answers_payment_pending_without_a_second_confirmation()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.UnknownOutcome);
        await Handle(Confirm(key: "idem-1"));

        var replay = await Handle(Confirm(key: "idem-1"));

        Assert.Equal("paymentPending", replay.Value.Status);
        await Gateway.ReceivedWithAnyArgs(1).ConfirmAsync(default!, default!, default, default);
        Assert.Empty(await Database.ReadAllAsync<IdempotencyRecord>()); // not final, so not kept under the key
    }

    [Fact]
    public async Task Approved_payment_that_cannot_be_recorded_is_voided_and_a_retry_is_refused_without_charging_again()
    {
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.ApprovedOutcome(_order));
        Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.Cancelled);
        Database.Saves.BeforeNextSave(() => Task.CompletedTask); // the key is claimed
        Database.Saves.BeforeNextSave(() => Task.CompletedTask); // the payment begins
        Database.Saves.FailNextSave(new DbUpdateException("disk I/O error")); // paid + tickets + payment

        var result = await Handle(Confirm(key: "idem-1"));

        AssertError(result, ErrorKind.Unavailable, "payment.not_recorded");
        await Gateway.Received(1).CancelAsync("pk_1", $"void-{_order.Number}", Arg.Any<string>(), null, Arg.Any<CancellationToken>());
        Assert.Equal(OrderStatus.Expired, (await Database.ReadOrderAsync(_order.Id)).Status);
        Assert.Empty(await Database.ReadAllAsync<Payment>());
        Assert.Empty(await Database.ReadAllAsync<Ticket>());

        var retry = await Handle(Confirm(key: "idem-1"));

        // The 503 was not kept under the key; the retry is judged afresh, and the voided order is no longer payable.
        AssertError(retry, ErrorKind.Conflict, "order.not_payable");
        await Gateway.ReceivedWithAnyArgs(1).ConfirmAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task Replay_of_a_refusal_before_Toss_returns_it_again()
    {
        await Handle(Confirm(amount: 1_000, key: "idem-1"));

        var replay = await Handle(Confirm(amount: 1_000, key: "idem-1"));

        AssertError(replay, ErrorKind.Validation, "payment.amount_mismatch");
        await AssertNothingSentToToss();
    }

    [Fact]
    public async Task Idempotency_key_reused_for_another_request_is_refused()
    {
        await Handle(Confirm(amount: 1_000, key: "idem-1"));

        var other = await Handle(Confirm(key: "idem-1"));

        AssertError(other, ErrorKind.Conflict, "idempotency.key_reused");
        await AssertNothingSentToToss();
    }

    [Fact]
    public async Task Idempotency_key_of_a_request_still_running_answers_in_progress_and_is_taken_over_once_abandoned()
    {
        var request = Confirm(key: "idem-1");
        await using (var db = Database.NewContext())
        {
            db.IdempotencyRecords.Add(IdempotencyRecord.Start(_fan, ConfirmPaymentHandler.IdempotencyScope, "idem-1", $"{request.OrderId}|{request.PaymentKey}|{request.Amount}", HandlerDatabase.Start));
            await db.SaveChangesAsync();
        }

        var running = await Handle(request);
        AssertError(running, ErrorKind.Conflict, "idempotency.in_progress");
        await AssertNothingSentToToss();

        _ports.Clock.Advance(_ports.Policy.CheckAfter);
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.ApprovedOutcome(_order));
        var takenOver = await Handle(request);

        Assert.Equal("paid", takenOver.Value.Status);
        Assert.NotNull(Assert.Single(await Database.ReadAllAsync<IdempotencyRecord>()).CompletedAt);
    }

    [Fact]
    public async Task A_held_order_of_a_paced_sale_is_paid_without_a_pass_the_order_carries_its_admission()
    {
        var paced = await Database.SeedPerformanceAsync(rules: PerformanceRules.Default with { RequiresQueuePass = true, WaitingRoomId = "room-1" });
        var order = await Database.SeedPendingOrderAsync(paced, _fan, [paced.SeatId(1)]);
        Gateway.ConfirmAsync(default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.ApprovedOutcome(order));

        var result = await Handle(Confirm(order));

        Assert.Equal("paid", result.Value.Status);
    }

    private ConfirmPayment Confirm(Order? order = null, string paymentKey = "pk_1", long? amount = null, string? key = null) =>
        new(_fan, paymentKey, (order ?? _order).Number, amount ?? (order ?? _order).TotalAmount, key);

    private Task<Result<PaymentResultDto>> Handle(ConfirmPayment request)
    {
        // One request, one scope: a fresh context per call, as the WebApi gives each request.
        Database.Db.ChangeTracker.Clear();
        return new ConfirmPaymentHandler(Database.Db, Gateway, _ports.Completion(), TestMapper.Instance, _uniqueViolations, _ports.Clock, _ports.Options, NullLogger<ConfirmPaymentHandler>.Instance)
            .Handle(request, CancellationToken.None);
    }

    private Task AssertNothingSentToToss() => Gateway.DidNotReceiveWithAnyArgs().ConfirmAsync(default!, default!, default, default);

    private static void AssertError(Result<PaymentResultDto> result, ErrorKind kind, string code)
    {
        Assert.False(result.IsSuccess, "expected a failure");
        Assert.Equal((kind, code), (result.Error!.Kind, result.Error.Code));
    }
}
