using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using static Ticketing.WebApi.IntegrationTests.Api;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>The WebApi with a service key for the waiting room and no inventory cache, so each read shows the seats now.</summary>
public sealed class InventoryApiFactory : TicketingApiFactory
{
    public const string ServiceKey = "inventory-service-key-for-tests";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Inventory:ServiceKey", ServiceKey);
        builder.UseSetting("Inventory:CacheMilliseconds", "0");
    }
}

/// <summary>
/// <c>GET /api/inventory</c>, read by the waiting room's admission controller: available and held seats per published
/// performance (open like the seat map), and the instance's health only with the service key.
/// </summary>
public sealed class InventoryEndpointTests(InventoryApiFactory factory) : IClassFixture<InventoryApiFactory>
{
    private readonly Api _api = new(factory);

    private static async Task<JsonElement> InventoryAsync(HttpClient client, string ids, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/inventory?performanceIds=" + ids);
        if (key is not null)
        {
            request.Headers.Add("X-Service-Key", key);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static (int Seats, int Available, int Held) Counts(JsonElement report, long performanceId)
    {
        var p = report.GetProperty("performances").EnumerateArray().Single(x => x.GetProperty("performanceId").GetInt64() == performanceId);
        return (p.GetProperty("seats").GetInt32(), p.GetProperty("available").GetInt32(), p.GetProperty("held").GetInt32());
    }

    private static async Task<JsonElement> HoldAsync(HttpClient fan, long performanceId, params long[] seatIds)
    {
        using var response = await fan.PostAsJsonAsync($"/api/performances/{performanceId}/holds", new { seatIds });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Counts_follow_holds_and_payments_and_match_the_public_seat_map()
    {
        using var organizer = await _api.NewOrganizerAsync();
        var (_, performanceId) = await PublishedEventAsync(organizer);
        using var anonymous = _api.Anonymous();
        Assert.Equal((12, 12, 0), Counts(await InventoryAsync(anonymous, performanceId.ToString(System.Globalization.CultureInfo.InvariantCulture)), performanceId));

        var map = await anonymous.GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/seats");
        var id = map.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList().IndexOf("id");
        var seats = map.GetProperty("seats").EnumerateArray().Select(s => s[id].GetInt64()).ToList();
        using var fan = await _api.FanAsync();
        await HoldAsync(fan, performanceId, seats[0]);
        var paid = await HoldAsync(fan, performanceId, seats[1], seats[2]);
        Assert.Equal((12, 9, 3), Counts(await InventoryAsync(anonymous, $"{performanceId}"), performanceId));

        var orderId = paid.GetProperty("id").GetString()!;
        using var checkout = await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        using var confirm = await fan.PostAsync("/api/payments/confirm", JsonContent.Create(await checkout.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);

        // Paid seats are sold: they will not come back; the one unpaid hold still may.
        Assert.Equal((12, 9, 1), Counts(await InventoryAsync(anonymous, $"{performanceId}"), performanceId));
    }

    [Fact]
    public async Task Health_figures_only_with_the_service_key_and_unknown_performances_are_left_out()
    {
        var (_, demo) = await _api.DemoPerformanceAsync();
        using var anonymous = _api.Anonymous();
        await anonymous.GetAsync("/health");

        var open = await InventoryAsync(anonymous, $"{demo},999999");
        Assert.Equal(JsonValueKind.Null, open.GetProperty("health").ValueKind);
        Assert.Single(open.GetProperty("performances").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, (await InventoryAsync(anonymous, $"{demo}", "wrong-key")).GetProperty("health").ValueKind);

        var health = (await InventoryAsync(anonymous, $"{demo}", InventoryApiFactory.ServiceKey)).GetProperty("health");
        Assert.Equal(10, health.GetProperty("windowSeconds").GetInt32());
        Assert.True(health.GetProperty("requests").GetInt64() >= 1);
        Assert.True(health.GetProperty("p99Ms").GetDouble() > 0);
        Assert.InRange(health.GetProperty("errorRate").GetDouble(), 0, 1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("1,-2")]
    public async Task Bad_performance_ids_answer_400(string ids)
    {
        using var anonymous = _api.Anonymous();
        await AssertValidationAsync(await anonymous.GetAsync("/api/inventory?performanceIds=" + ids), "performanceIds");
    }
}
