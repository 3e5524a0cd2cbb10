using System.Net;
using System.Net.Http.Json;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>An Idempotency-Key keeps only final answers: transient ones are forgotten so that the retry does the work.</summary>
public sealed class IdempotentOutcomeTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    private int Confirms => _p.Toss.Received.Count(r => r.Path.EndsWith("/confirm", StringComparison.Ordinal));

    [Fact]
    public async Task A_503_is_not_replayed_and_a_retry_with_the_same_key_pays()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1201);
        var paymentKey = _p.Checkout(orderId, amount);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Refuse("UNAUTHORIZED_KEY") : Fault.None;

        var unavailable = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount, "retry-me");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("payment.provider_unavailable", (await PaymentApi.JsonAsync(unavailable)).GetProperty("code").GetString());
        Assert.NotNull(unavailable.Headers.RetryAfter);

        _p.Toss.Faults = null;
        var retry = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount, "retry-me");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("paid", (await PaymentApi.JsonAsync(retry)).GetProperty("status").GetString());
        Assert.Equal(1, _p.Toss.Simulator.Charges);
    }

    [Fact]
    public async Task A_stored_success_is_replayed_without_asking_toss_and_the_key_refuses_another_body()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1202, 1203);
        var paymentKey = _p.Checkout(orderId, amount);
        var paid = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount, "pay-once");
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var confirms = Confirms;

        var replay = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount, "pay-once");
        var otherBody = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount + 1, "pay-once");

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal((await PaymentApi.JsonAsync(paid)).ToString(), (await PaymentApi.JsonAsync(replay)).ToString());
        Assert.Equal(HttpStatusCode.Conflict, otherBody.StatusCode);
        Assert.Equal("idempotency.key_reused", (await PaymentApi.JsonAsync(otherBody)).GetProperty("code").GetString());
        Assert.Equal(confirms, Confirms);
        Assert.Equal(1, _p.Toss.Simulator.Charges);
    }

    [Fact]
    public async Task A_declined_payment_is_final_and_replayed_under_its_key()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1204);
        var paymentKey = _p.Checkout(orderId, amount);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Decline("REJECT_CARD_COMPANY") : Fault.None;
        var declined = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount, "declined-once");
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        _p.Toss.Faults = null;

        var replay = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount, "declined-once");

        Assert.Equal(HttpStatusCode.PaymentRequired, replay.StatusCode);
        Assert.Equal("REJECT_CARD_COMPANY", (await PaymentApi.JsonAsync(replay)).GetProperty("tossCode").GetString());
        Assert.Equal(1, Confirms);
        Assert.Equal(0, _p.Toss.Simulator.Charges);
    }

    [Fact]
    public async Task A_wrong_amount_is_final_for_its_key()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1205);
        var paymentKey = _p.Checkout(orderId, amount);

        var first = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount - 1, "wrong-amount");
        var again = await PaymentApi.ConfirmAsync(fan, paymentKey, orderId, amount - 1, "wrong-amount");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("payment.amount_mismatch", (await PaymentApi.JsonAsync(again)).GetProperty("code").GetString());
        Assert.Equal(1, await _p.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Set<Ticketing.Application.Common.IdempotencyRecord>(), r => r.Key == "wrong-amount" && r.Response != null)));
    }
}
