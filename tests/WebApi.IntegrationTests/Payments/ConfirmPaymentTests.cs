using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Orders;
using Ticketing.Application.Payments;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>The confirmation over HTTP against the fake Toss server: the four cases, the commit failure, and the refusals.</summary>
public sealed class ConfirmPaymentTests : IAsyncLifetime
{
    private static readonly TimeSpan PastCheckAfter = TimeSpan.FromMinutes(3);

    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Approved_payment_marks_the_order_paid_with_one_ticket_per_seat_and_sells_the_seats()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1001, 1002);
        var key = _p.Checkout(orderId, amount);

        var response = await PaymentApi.ConfirmAsync(fan, key, orderId, amount);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await PaymentApi.JsonAsync(response);
        Assert.Equal("paid", body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("tickets").GetArrayLength());
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(2, await _p.QueryAsync(db => db.Tickets.CountAsync(t => t.OrderId == order.Id)));
        Assert.Equal(PaymentStatus.Done, (await _p.QueryAsync(db => db.Payments.SingleAsync(x => x.OrderId == order.Id))).Status);
        Assert.Equal(1, _p.Toss.Simulator.Charges);
        await AssertSoldAsync(orderId, 1001, 1002);
        Assert.Equal("paid", (await fan.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/orders/{orderId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Retries_after_transient_answers_and_a_reset_carry_the_same_idempotency_key_and_charge_once()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1005);
        var confirms = 0;
        // A 500, a 409 in flight, a reset after Toss processed it: three retryable outcomes, then the replayed answer.
        _p.Toss.Faults = r => !r.Path.EndsWith("/confirm", StringComparison.Ordinal)
            ? Fault.None
            : Interlocked.Increment(ref confirms) switch
            {
                1 => new Fault(FaultKind.ServerError),
                2 => new Fault(FaultKind.InFlight),
                3 => new Fault(FaultKind.ResetAfterProcessing),
                _ => Fault.None,
            };
        var paymentKey = _p.Checkout(orderId, amount);

        var response = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _p.Toss.Received.Where(r => r.Path.EndsWith("/confirm", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, sent.Count);
        Assert.All(sent, r => Assert.Equal($"confirm:{orderId}:{paymentKey}", r.IdempotencyKey));
        Assert.Equal(1, _p.Toss.Simulator.Charges);
        Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(orderId)).Status);
    }

    [Fact]
    public async Task A_final_toss_code_is_not_retried()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1006);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Decline("REJECT_CARD_COMPANY") : Fault.None;

        var response = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Single(_p.Toss.Received, r => r.Path.EndsWith("/confirm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Case1_declined_payment_charges_nothing_and_leaves_the_order_payable_with_another_card()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1011);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Decline("REJECT_CARD_COMPANY") : Fault.None;

        var declined = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        var problem = await PaymentApi.JsonAsync(declined);
        Assert.Equal("payment.declined", problem.GetProperty("code").GetString());
        Assert.Equal("REJECT_CARD_COMPANY", problem.GetProperty("tossCode").GetString());
        Assert.Equal(OrderStatus.Pending, (await _p.OrderAsync(orderId)).Status);
        Assert.Equal(0, _p.Toss.Simulator.Charges);

        _p.Toss.Faults = null;
        var second = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, _p.Toss.Simulator.Charges);
    }

    [Fact]
    public async Task Case2_approved_but_no_answer_ends_paid_after_reconciliation()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1021, 1022);
        // Toss approves, then every connection is cut: the confirm's answers and the look-ups are all lost.
        _p.Toss.Faults = _ => new Fault(FaultKind.ResetAfterProcessing);

        var response = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("paymentPending", (await PaymentApi.JsonAsync(response)).GetProperty("status").GetString());
        Assert.Equal(OrderStatus.PaymentPending, (await _p.OrderAsync(orderId)).Status);
        Assert.Equal(1, _p.Toss.Simulator.Charges);

        _p.Toss.Faults = null;
        _p.Api.Clock.Advance(PastCheckAfter);
        var report = await _p.SendAsync(new ReconcilePayments());

        Assert.Equal(1, report.Paid);
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Null(order.PaymentCheckAt);
        Assert.Equal(2, await _p.QueryAsync(db => db.Tickets.CountAsync(t => t.OrderId == order.Id)));
        Assert.Equal(1, _p.Toss.Simulator.Charges);
        await AssertSoldAsync(orderId, 1021, 1022);
    }

    [Fact]
    public async Task Case2_approved_but_no_answer_is_found_at_once_by_the_lookup_when_toss_answers_it()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1025);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? new Fault(FaultKind.ResetAfterProcessing) : Fault.None;

        var response = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(orderId)).Status);
        Assert.Equal(1, _p.Toss.Simulator.Charges);
    }

    [Fact]
    public async Task Case3_declined_but_no_answer_releases_the_order_after_reconciliation()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1031);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal)
            ? new Fault(FaultKind.ResetAfterProcessing, TestCode: "REJECT_CARD_PAYMENT")
            : new Fault(FaultKind.ResetBeforeProcessing);

        var response = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        _p.Toss.Faults = null;
        _p.Api.Clock.Advance(PastCheckAfter);
        var report = await _p.SendAsync(new ReconcilePayments());

        Assert.Equal(1, report.Released);
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.All(order.Lines, l => Assert.False(l.IsLive));
        Assert.Equal(0, _p.Toss.Simulator.Charges);
        Assert.Empty(await HoldersAsync(1031));
        Assert.Equal(HttpStatusCode.Created, (await (await _p.Api.FanAsync()).PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 1031L } })).StatusCode);
    }

    [Fact]
    public async Task A_failing_toss_opens_the_circuit_and_later_confirmations_do_not_reach_it()
    {
        _p.Toss.Faults = _ => new Fault(FaultKind.ServerError);
        var fans = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _p.Api.FanAsync()));
        var orders = new List<(HttpClient Fan, string OrderId, long Amount)>();
        for (var i = 0; i < fans.Length; i++)
        {
            var (orderId, amount) = await PaymentApi.HoldAsync(fans[i], 1_201 + i);
            orders.Add((fans[i], orderId, amount));
        }

        // Each confirmation tries 1 + 3 times and looks the payment up: the first few fill the breaker's window.
        foreach (var (fan, orderId, amount) in orders.Take(8))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount)).StatusCode);
        }

        var requestsWhenOpen = _p.Toss.Requests;
        foreach (var (fan, orderId, amount) in orders.Skip(8))
        {
            // Outcome unknown to the fan (nothing was sent), the order waits for reconciliation.
            Assert.Equal(HttpStatusCode.Accepted, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount)).StatusCode);
        }

        Assert.Equal(requestsWhenOpen, _p.Toss.Requests);
        Assert.Equal(0, _p.Toss.Simulator.Charges);
    }

    [Fact]
    public async Task Case4_unreachable_toss_keeps_the_seats_past_expiry_until_reconciliation_knows()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1041);
        _p.Toss.Faults = _ => new Fault(FaultKind.ResetBeforeProcessing);

        var response = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(0, (await _p.SendAsync(new ExpireDueOrders())).Expired);
        var stillUnknown = await _p.SendAsync(new ReconcilePayments());
        Assert.Equal(1, stillUnknown.Deferred);
        Assert.Equal(OrderStatus.PaymentPending, (await _p.OrderAsync(orderId)).Status);
        Assert.Equal(orderId, (await HoldersAsync(1041))[1041]);
        Assert.Equal(HttpStatusCode.Conflict, (await (await _p.Api.FanAsync()).PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 1041L } })).StatusCode);

        _p.Toss.Faults = null;
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(2));
        var report = await _p.SendAsync(new ReconcilePayments());

        Assert.Equal(1, report.Released);
        Assert.Equal(OrderStatus.Expired, (await _p.OrderAsync(orderId)).Status);
        Assert.Equal(0, _p.Toss.Simulator.Charges);
        Assert.Empty(await HoldersAsync(1041));
    }

    [Fact]
    public async Task Case4_a_payment_approved_after_the_seats_were_given_up_is_refunded_automatically()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1051);
        // Toss approves; nothing reaches us afterwards, for longer than the seats may wait.
        var approved = false;
        _p.Toss.Faults = r =>
        {
            if (!approved && r.Path.EndsWith("/confirm", StringComparison.Ordinal))
            {
                approved = true;
                return new Fault(FaultKind.ResetAfterProcessing);
            }

            return new Fault(FaultKind.ResetBeforeProcessing);
        };
        Assert.Equal(HttpStatusCode.Accepted, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount)).StatusCode);

        for (var i = 0; i < 12 && (await _p.OrderAsync(orderId)).Status == OrderStatus.PaymentPending; i++)
        {
            _p.Api.Clock.Advance(TimeSpan.FromMinutes(5));
            await _p.SendAsync(new ReconcilePayments());
        }

        Assert.Equal(OrderStatus.Expired, (await _p.OrderAsync(orderId)).Status);
        Assert.Empty(await HoldersAsync(1051));
        Assert.NotNull((await _p.OrderAsync(orderId)).PaymentCheckAt);

        _p.Toss.Faults = null;
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(11));
        var report = await _p.SendAsync(new ReconcilePayments());

        Assert.Equal(1, report.Refunded);
        Assert.Equal(["CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));
        Assert.Equal(1, _p.Toss.Simulator.Refunds);
        var order = await _p.OrderAsync(orderId);
        Assert.Null(order.PaymentCheckAt);
        Assert.Equal(PaymentStatus.Cancelled, (await _p.QueryAsync(db => db.Payments.SingleAsync(x => x.OrderId == order.Id))).Status);
        Assert.Equal(0, await _p.QueryAsync(db => db.Tickets.CountAsync(t => t.OrderId == order.Id)));
    }

    [Fact]
    public async Task Our_commit_failing_after_approval_cancels_the_payment_at_toss()
    {
        await _p.DisposeAsync();
        var failing = new FailingTicketCommit { Failures = 1 };
        _p = await PaymentApi.StartAsync(api => api.WithServices(s => s.AddSingleton<IInterceptor>(failing)));
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1061);

        var response = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("payment.not_recorded", (await PaymentApi.JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(["CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));
        Assert.Equal(1, _p.Toss.Simulator.Refunds);
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.Null(order.PaymentCheckAt);
        Assert.Equal(0, await _p.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(0, await _p.QueryAsync(db => db.Payments.CountAsync()));
        Assert.Empty(await HoldersAsync(1061));
    }

    [Fact]
    public async Task Paying_another_fans_order_answers_404_and_calls_nobody()
    {
        var owner = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(owner, 1071);

        var response = await PaymentApi.ConfirmAsync(await _p.Api.FanAsync(), _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("order.not_found", (await PaymentApi.JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(0, _p.Toss.Requests);
    }

    [Fact]
    public async Task A_wrong_amount_is_refused_before_toss()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1081);

        var response = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount - 1000);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("payment.amount_mismatch", (await PaymentApi.JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(0, _p.Toss.Requests);
        Assert.Equal(OrderStatus.Pending, (await _p.OrderAsync(orderId)).Status);
    }

    [Fact]
    public async Task An_expired_order_is_refused()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1091);
        var key = _p.Checkout(orderId, amount);
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(10));

        var response = await PaymentApi.ConfirmAsync(fan, key, orderId, amount);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("order.not_payable", (await PaymentApi.JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(0, _p.Toss.Requests);
    }

    [Fact]
    public async Task Same_payment_key_replays_the_first_result_and_another_key_for_a_paid_order_is_refused()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1101, 1102);
        var key = _p.Checkout(orderId, amount);
        var first = await PaymentApi.JsonAsync(await PaymentApi.ConfirmAsync(fan, key, orderId, amount));

        var replay = await PaymentApi.ConfirmAsync(fan, key, orderId, amount);
        var other = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(first.ToString(), (await PaymentApi.JsonAsync(replay)).ToString());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("payment.already_paid", (await PaymentApi.JsonAsync(other)).GetProperty("code").GetString());
        Assert.Equal(1, _p.Toss.Simulator.Charges);
        Assert.Equal(1, await _p.QueryAsync(db => db.Payments.CountAsync()));
    }

    [Fact]
    public async Task Idempotency_key_replays_the_stored_response_even_for_concurrent_repeats()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1111);
        var key = _p.Checkout(orderId, amount);
        _p.Toss.Faults = _ => new Fault(FaultKind.Delay, TimeSpan.FromMilliseconds(300));

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PaymentApi.ConfirmAsync(fan, key, orderId, amount, "client-key-1")));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var first = await PaymentApi.JsonAsync(answers.Single(a => a.StatusCode == HttpStatusCode.OK));
        var replay = await PaymentApi.ConfirmAsync(fan, key, orderId, amount, "client-key-1");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(first.ToString(), (await PaymentApi.JsonAsync(replay)).ToString());
        var reused = await PaymentApi.ConfirmAsync(fan, "another-key", orderId, amount, "client-key-1");
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal("idempotency.key_reused", (await PaymentApi.JsonAsync(reused)).GetProperty("code").GetString());
        Assert.Equal(1, _p.Toss.Simulator.Charges);
    }

    [Fact]
    public async Task Transient_toss_errors_are_retried_with_the_same_key_and_charge_once()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1121);
        var calls = 0;
        _p.Toss.Faults = _ => Interlocked.Increment(ref calls) switch
        {
            1 => new Fault(FaultKind.ServerError),
            2 => Fault.Decline("PROVIDER_ERROR"),
            3 => new Fault(FaultKind.InFlight),
            _ => Fault.None,
        };

        var response = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, calls);
        Assert.Equal(1, _p.Toss.Simulator.Charges);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"paymentKey\":\"k\",\"orderId\":\"abc\",\"amount\":1000}")]
    [InlineData("{\"paymentKey\":\"\",\"orderId\":\"0123456789abcdef0123456789abcdef\",\"amount\":1000}")]
    [InlineData("{\"paymentKey\":\"k\",\"orderId\":\"0123456789abcdef0123456789abcdef\",\"amount\":0}")]
    [InlineData("{\"paymentKey\":\"k\",\"orderId\":\"0123456789abcdef0123456789abcdef\",\"amount\":-5}")]
    [InlineData("{\"paymentKey\":\"k\",\"orderId\":\"0123456789abcdef0123456789abcdef\",\"amount\":\"1000\"}")]
    [InlineData("{\"paymentKey\":\"k\",\"orderId\":\"0123456789abcdef0123456789abcdef\",\"amount\":1.5}")]
    [InlineData("{\"paymentKey\":\"k\",\"orderId\":\"../../etc/passwd\",\"amount\":1000}")]
    [InlineData("{\"paymentKey\":5,\"orderId\":\"0123456789abcdef0123456789abcdef\",\"amount\":1000}")]
    [InlineData("{\"paymentKey\":\"k\"")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Bad_confirm_requests_get_400_problem_details(string body)
    {
        var fan = await _p.Api.FanAsync();

        var response = await fan.PostAsync("/api/payments/confirm", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, _p.Toss.Requests);
    }

    [Fact]
    public async Task Other_bad_confirm_requests_get_4xx_problem_details()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1131);

        var unknownOrder = await PaymentApi.ConfirmAsync(fan, "k", Guid.NewGuid().ToString("N"), amount);
        var notAGuid = await PaymentApi.ConfirmAsync(fan, "k", "order-123456", amount);
        var longKey = await PaymentApi.ConfirmAsync(fan, new string('k', 201), orderId, amount);
        var longIdempotencyKey = await PaymentApi.ConfirmAsync(fan, "k", orderId, amount, new string('i', 300));
        var anonymous = await _p.Api.CreateClient().PostAsJsonAsync("/api/payments/confirm", new { paymentKey = "k", orderId, amount });
        var unknownSession = await PaymentApi.ConfirmAsync(fan, "no-such-payment-key", orderId, amount);

        Assert.Equal(HttpStatusCode.NotFound, unknownOrder.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAGuid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longIdempotencyKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, unknownSession.StatusCode);
        Assert.Equal("NOT_FOUND_PAYMENT_SESSION", (await PaymentApi.JsonAsync(unknownSession)).GetProperty("tossCode").GetString());
        Assert.Equal(OrderStatus.Pending, (await _p.OrderAsync(orderId)).Status);
    }

    [Fact]
    public async Task The_expiry_job_hands_an_order_with_a_payment_attempt_to_reconciliation_which_asks_toss()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1141);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Decline() : Fault.None;
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount)).StatusCode);
        var requestsBefore = _p.Toss.Requests;
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(10));

        var report = await _p.SendAsync(new ExpireDueOrders());

        // The expiry itself never calls Toss: the order keeps its seats, due for reconciliation now.
        Assert.Equal((0, 1), (report.Expired, report.HandedToReconciliation));
        Assert.Equal(requestsBefore, _p.Toss.Requests);
        Assert.Equal(OrderStatus.PaymentPending, (await _p.OrderAsync(orderId)).Status);

        var reconciled = await _p.SendAsync(new ReconcilePayments());

        Assert.Equal(1, reconciled.Released);
        Assert.Equal(requestsBefore + 1, _p.Toss.Requests);
        Assert.Equal(OrderStatus.Expired, (await _p.OrderAsync(orderId)).Status);
        Assert.Empty(await HoldersAsync(1141));
    }

    [Fact]
    public async Task Reconciliation_completes_a_handed_over_order_that_toss_approved_and_keeps_one_it_cannot_ask_about()
    {
        var fan = await _p.Api.FanAsync();
        var (paidId, paidAmount) = await PaymentApi.HoldAsync(fan, 1151);
        var (unknownId, unknownAmount) = await PaymentApi.HoldAsync(fan, 1152);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Decline() : Fault.None;
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(paidId, paidAmount), paidId, paidAmount)).StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(unknownId, unknownAmount), unknownId, unknownAmount)).StatusCode);
        _p.Toss.Faults = null;

        // A second card's confirmation reached Toss, but its answer never reached us.
        var lateKey = _p.Checkout(paidId, paidAmount);
        await _p.Toss.Simulator.HandleAsync(new Ticketing.Infrastructure.Payments.TossSimulatorRequest(
            "POST", "/v1/payments/confirm", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(FakeTossServer.SecretKey + ":")), "confirm:late", null,
            $"{{\"paymentKey\":\"{lateKey}\",\"orderId\":\"{paidId}\",\"amount\":{paidAmount}}}"));
        _p.Toss.Faults = r => r.Path.Contains(unknownId, StringComparison.Ordinal) ? new Fault(FaultKind.ResetBeforeProcessing) : Fault.None;
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(2, (await _p.SendAsync(new ExpireDueOrders())).HandedToReconciliation);
        var report = await _p.SendAsync(new ReconcilePayments());

        Assert.Equal((1, 1), (report.Paid, report.Deferred));
        Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(paidId)).Status);
        Assert.Equal(1, await _p.QueryAsync(db => db.Tickets.CountAsync(t => t.OrderId == Guid.Parse(paidId))));
        var waiting = await _p.OrderAsync(unknownId);
        Assert.Equal(OrderStatus.PaymentPending, waiting.Status);
        Assert.NotNull(waiting.PaymentCheckAt);
        Assert.Equal(unknownId, (await HoldersAsync(1152))[1152]);
    }

    [Fact]
    public async Task A_slow_toss_never_delays_the_expiry_of_the_other_due_orders()
    {
        var fan = await _p.Api.FanAsync();
        var (attemptedId, amount) = await PaymentApi.HoldAsync(fan, 1161);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Decline() : Fault.None;
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(attemptedId, amount), attemptedId, amount)).StatusCode);
        var plainIds = new List<string>();
        foreach (var seat in new long[] { 1162, 1163, 1164 })
        {
            plainIds.Add((await PaymentApi.HoldAsync(await _p.Api.FanAsync(), seat)).OrderId);
        }

        // Toss now takes 22 s to answer anything: the whole budget of one look-up with its retries.
        _p.Toss.Faults = _ => new Fault(FaultKind.Delay, TimeSpan.FromSeconds(22));
        var requestsBefore = _p.Toss.Requests;
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(10));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var report = await _p.SendAsync(new ExpireDueOrders());

        watch.Stop();
        Assert.Equal((3, 1), (report.Expired, report.HandedToReconciliation));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the expiry took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(requestsBefore, _p.Toss.Requests);
        foreach (var id in plainIds)
        {
            Assert.Equal(OrderStatus.Expired, (await _p.OrderAsync(id)).Status);
        }

        Assert.Empty(await HoldersAsync(1162, 1163, 1164));
        Assert.Equal(attemptedId, (await HoldersAsync(1161))[1161]);
        _p.Toss.Faults = null;
    }

    [Fact]
    public async Task Reconciliation_settles_each_order_on_its_own_so_a_slow_answer_holds_up_no_other()
    {
        var fan = await _p.Api.FanAsync();
        var (slowId, slowAmount) = await PaymentApi.HoldAsync(fan, 1171);
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(1));
        var (fastId, fastAmount) = await PaymentApi.HoldAsync(fan, 1172);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Decline() : Fault.None;
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(slowId, slowAmount), slowId, slowAmount)).StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(fastId, fastAmount), fastId, fastAmount)).StatusCode);

        // Handed over one after the other, so the slow order is due first.
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(1, (await _p.SendAsync(new ExpireDueOrders())).HandedToReconciliation);
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await _p.SendAsync(new ExpireDueOrders())).HandedToReconciliation);

        // Every look-up of the slow order outlasts the client's attempt timeout (1 s here), four attempts in all.
        _p.Toss.Faults = r => r.Path.Contains(slowId, StringComparison.Ordinal) ? new Fault(FaultKind.Delay, TimeSpan.FromSeconds(4)) : Fault.None;
        var first = _p.Toss.Requests;
        await using var scope = _p.Api.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Scheduling.ReconcilePaymentsJob>().ReconcileDueAsync(CancellationToken.None);

        Assert.Equal((1, 1), (report.Released, report.Deferred));
        Assert.Equal(OrderStatus.Expired, (await _p.OrderAsync(fastId)).Status);
        Assert.Equal(OrderStatus.PaymentPending, (await _p.OrderAsync(slowId)).Status);
        // The fast order's look-up went out while the slow one's first attempt was still waiting, not after its retries.
        var lookups = _p.Toss.Received.Skip(first).Select(r => r.Path.Contains(fastId, StringComparison.Ordinal) ? "fast" : "slow").ToList();
        Assert.True(lookups.IndexOf("fast") < 2, string.Join(", ", lookups));
        Assert.True(lookups.Count(l => l == "slow") >= 2, string.Join(", ", lookups));
        _p.Toss.Faults = null;
        await _p.Toss.WhenIdleAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<IReadOnlyDictionary<long, string>> HoldersAsync(params long[] seats)
    {
        await using var scope = _p.Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISeatLock>().GetHoldersAsync(1, seats);
    }

    private async Task AssertSoldAsync(string orderId, params long[] seats)
    {
        var holders = await HoldersAsync(seats);
        Assert.All(seats, s => Assert.Equal($"sold:{orderId}", holders[s]));
    }
}
