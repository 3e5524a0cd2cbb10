using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>The embedded default: the in-process Toss simulation, and the checkout that stands in for the widget.</summary>
public sealed class SimulatedProviderTests
{
    [Fact]
    public async Task Embedded_default_pays_through_the_simulated_checkout()
    {
        using var api = new BookingApiFactory();
        var fan = await api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 4501, 4502);

        var checkout = await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var body = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(amount, body.GetProperty("amount").GetInt64());

        var confirm = await fan.PostAsync("/api/payments/confirm", JsonContent.Create(body));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var paid = await confirm.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        Assert.Equal(2, paid.GetProperty("tickets").GetArrayLength());
        Assert.Equal(2, (await fan.GetFromJsonAsync<JsonElement>("/api/me/tickets")).GetProperty("totalCount").GetInt32());

        Assert.Equal(HttpStatusCode.Conflict, (await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await api.FanAsync()).PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId = "x" })).StatusCode);
    }

    [Fact]
    public async Task Simulated_checkout_is_off_when_the_real_provider_is_configured()
    {
        await using var p = await PaymentApi.StartAsync();
        var fan = await p.Api.FanAsync();
        var (orderId, _) = await PaymentApi.HoldAsync(fan, 4511);

        var response = await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("payments.simulator_off", (await PaymentApi.JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public void Toss_provider_without_a_secret_key_fails_at_start()
    {
        using var api = new BookingApiFactory().With("Payments:Provider", "Toss").With("Payments:Toss:SecretKey", null);

        var error = Record.Exception(() => api.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("Payments:Toss:SecretKey", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_total_timeout_shorter_than_one_attempt_fails_at_start()
    {
        using var api = new BookingApiFactory()
            .With("Payments:Toss:AttemptTimeoutMilliseconds", "2000")
            .With("Payments:Toss:TotalTimeoutMilliseconds", "1000");

        var error = Record.Exception(() => api.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("Payments:Toss:TotalTimeoutMilliseconds", error.ToString(), StringComparison.Ordinal);
    }
}
