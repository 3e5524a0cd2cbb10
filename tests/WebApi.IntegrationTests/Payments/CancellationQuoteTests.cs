using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Application.Payments;
using Ticketing.Infrastructure.Payments;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>
/// What a fan reads before agreeing to cancel (GET /api/orders/{id}/cancellation) is what the cancellation then refunds,
/// at the fee of the moment; and the simulated window's outcomes (approve, decline, unknown) reach the confirmation.
/// </summary>
public sealed class CancellationQuoteTests
{
    [Fact]
    public async Task The_quote_names_the_fee_of_the_moment_changes_nothing_and_the_cancellation_refunds_exactly_it()
    {
        using var api = new BookingApiFactory();
        var email = $"quote-{Guid.NewGuid():N}@test.ticketing";
        var fan = await api.FanAsync(email);
        var (orderId, amount) = await PaidOrderAsync(fan, 4601, 4602);
        var startsAt = (await fan.GetFromJsonAsync<JsonElement>("/api/performances/1")).GetProperty("startsAt").GetDateTimeOffset();
        api.Clock.Advance(startsAt - TimeSpan.FromDays(2) - api.Clock.GetUtcNow()); // 1 to 3 days before: 20 %
        fan = await api.FanAsync(email); // the bearer token of weeks ago has expired

        var all = await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}/cancellation");
        Assert.Equal(amount, all.GetProperty("grossAmount").GetInt64());
        Assert.Equal(20, all.GetProperty("feePercent").GetInt32());
        Assert.Equal(amount / 5, all.GetProperty("feeAmount").GetInt64());
        Assert.Equal(amount - (amount / 5), all.GetProperty("refundAmount").GetInt64());
        Assert.Equal(startsAt - TimeSpan.FromHours(2), all.GetProperty("cancellableUntil").GetDateTimeOffset());
        Assert.Equal(4, all.GetProperty("schedule").GetArrayLength());

        var one = await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}/cancellation?seatIds=4602");
        Assert.Equal([4602L], one.GetProperty("seatIds").EnumerateArray().Select(e => e.GetInt64()));
        var seatPrice = one.GetProperty("grossAmount").GetInt64();
        Assert.True(seatPrice < amount);

        // Reading the quote twice changed nothing; the cancellation refunds the quoted amount.
        Assert.Equal("paid", (await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("status").GetString());
        using var cancel = await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { 4602L } });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var refund = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(one.GetProperty("refundAmount").GetInt64(), refund.GetProperty("refundAmount").GetInt64());
        Assert.Equal(one.GetProperty("feeAmount").GetInt64(), refund.GetProperty("feeAmount").GetInt64());

        // The cancelled seat is no longer quotable; another fan's order answers like a missing one; after the deadline, 409.
        Assert.Equal(HttpStatusCode.Conflict, (await fan.GetAsync($"/api/orders/{orderId}/cancellation?seatIds=4602")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await api.FanAsync()).GetAsync($"/api/orders/{orderId}/cancellation")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fan.GetAsync($"/api/orders/{orderId}/cancellation?seatIds=4601&seatIds=4601")).StatusCode);
        api.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromHours(1));
        fan = await api.FanAsync(email);
        using var closed = await fan.GetAsync($"/api/orders/{orderId}/cancellation");
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        Assert.Equal("order.cancellation_closed", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_pending_hold_has_no_quote_and_the_policy_shows_the_schedule_a_paid_order_gets()
    {
        using var api = new BookingApiFactory();
        var fan = await api.FanAsync();
        var (orderId, _) = await PaymentApi.HoldAsync(fan, 4611);

        using var pending = await fan.GetAsync($"/api/orders/{orderId}/cancellation");
        Assert.Equal(HttpStatusCode.Conflict, pending.StatusCode);
        Assert.Equal("order.not_refundable", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync($"/api/orders/{orderId}/cancellation")).StatusCode);

        var policy = await api.CreateClient().GetFromJsonAsync<JsonElement>("/api/cancellation-policy");
        Assert.Equal(120, policy.GetProperty("cutoffMinutes").GetInt32());
        Assert.Equal([0, 10, 20, 30], policy.GetProperty("schedule").EnumerateArray().Select(t => t.GetProperty("feePercent").GetInt32()));
    }

    [Fact]
    public async Task A_checkout_asked_to_decline_is_refused_at_confirmation_and_the_hold_is_paid_with_the_next_checkout()
    {
        using var api = new BookingApiFactory();
        var fan = await api.FanAsync();
        var (orderId, _) = await PaymentApi.HoldAsync(fan, 4621);

        var declined = await (await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId, outcome = "decline" })).Content.ReadFromJsonAsync<JsonElement>();
        using var refused = await fan.PostAsync("/api/payments/confirm", JsonContent.Create(declined));
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Equal(SimulatedOutcomes.DeclineCode, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tossCode").GetString());
        Assert.Equal("pending", (await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("status").GetString());

        var approved = await (await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId, outcome = "approve" })).Content.ReadFromJsonAsync<JsonElement>();
        using var paid = await fan.PostAsync("/api/payments/confirm", JsonContent.Create(approved));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);

        using var bad = await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId, outcome = "maybe" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("outcome", out _));
    }

    [Fact]
    public async Task A_payment_authorized_with_an_unknown_outcome_answers_a_transient_error_and_stays_in_progress()
    {
        var simulator = new TossSimulator(TimeProvider.System, PaymentOptions.SimulatedSecretKey);
        var key = simulator.Authorize("order-unknown", 10_000, "Test", SimulatedOutcomes.TestCodeOf(SimulatedOutcomes.Unknown));
        var authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(PaymentOptions.SimulatedSecretKey + ":"));
        var body = JsonSerializer.Serialize(new { paymentKey = key, orderId = "order-unknown", amount = 10_000 });

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var answer = await simulator.HandleAsync(new TossSimulatorRequest("POST", "/v1/payments/confirm", authorization, "confirm:order-unknown:" + key, null, body));
            Assert.Equal(500, answer.Status);
            Assert.Contains(SimulatedOutcomes.UnknownCode, answer.Body, StringComparison.Ordinal);
        }

        Assert.Equal(["IN_PROGRESS"], simulator.StatusesOf("order-unknown"));
        Assert.Equal(0, simulator.Charges);
    }

    private static async Task<(string OrderId, long Amount)> PaidOrderAsync(HttpClient fan, params long[] seats)
    {
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, seats);
        var checkout = await (await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId })).Content.ReadFromJsonAsync<JsonElement>();
        using var confirm = await fan.PostAsync("/api/payments/confirm", JsonContent.Create(checkout));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        return (orderId, amount);
    }
}
