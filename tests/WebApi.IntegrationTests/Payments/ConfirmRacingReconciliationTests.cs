using System.Net;
using Ticketing.Application.Payments;
using Ticketing.Domain.Orders;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>
/// A confirmation slower than <c>Payments:CheckAfterSeconds</c>: reconciliation looks at the order while Toss is still
/// answering. The confirmation's own answer must still be the provider's, never a 500, and the order must end right.
/// </summary>
public sealed class ConfirmRacingReconciliationTests : IAsyncLifetime
{
    private static readonly TimeSpan TossAnswersAfter = TimeSpan.FromSeconds(6);
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync(api => api.With("Payments:Toss:TotalTimeoutMilliseconds", "60000"), attemptTimeoutMs: 30_000);

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task A_decline_that_arrives_after_reconciliation_touched_the_order_is_answered_as_a_decline_and_the_order_is_payable_again()
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1061);
        _p.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal)
            ? new Fault(FaultKind.Delay, TossAnswersAfter, "REJECT_CARD_PAYMENT")
            : Fault.None;

        var declinedKey = _p.Checkout(orderId, amount);
        var confirming = PaymentApi.ConfirmAsync(fan, declinedKey, orderId, amount, idempotencyKey: "race-decline-1");
        await _p.Toss.WhenRequestsAsync(1, TimeSpan.FromSeconds(30));
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(3));
        await _p.SendAsync(new ReconcilePayments());
        var checkedWhileInFlight = (await _p.OrderAsync(orderId)).PaymentChecks;
        Assert.False(confirming.IsCompleted, "reconciliation must run while Toss is still answering the confirmation");

        var response = await confirming;

        Assert.Equal(1, checkedWhileInFlight);
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("payment.declined", (await PaymentApi.JsonAsync(response)).GetProperty("code").GetString());
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Null(order.PaymentCheckAt);
        Assert.Equal(0, _p.Toss.Simulator.Charges);

        // The same key replays the decline; another card pays the same hold.
        var replay = await PaymentApi.ConfirmAsync(fan, declinedKey, orderId, amount, idempotencyKey: "race-decline-1");
        Assert.Equal(HttpStatusCode.PaymentRequired, replay.StatusCode);
        _p.Toss.Faults = null;
        var paid = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount, idempotencyKey: "race-decline-2");
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(orderId)).Status);
        Assert.Equal(1, _p.Toss.Simulator.Charges);
    }
}
