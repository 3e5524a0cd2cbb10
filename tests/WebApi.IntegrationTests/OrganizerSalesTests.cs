using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Ticketing.WebApi.IntegrationTests.Api;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>
/// The organizer's sales over HTTP: who may read them, and the figures after holds, a payment, a refund and a
/// check-in made through the API. The performance has 10 R seats (100,000 won) and 2 S seats (50,000 won).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OrganizerSalesTests(TicketingApiFactory factory)
{
    private readonly Api _api = new(factory);

    [Fact]
    public async Task Sales_are_for_the_owner_and_admins_only()
    {
        using var owner = await _api.NewOrganizerAsync();
        var (_, performanceId) = await PublishedEventAsync(owner);
        var path = $"/api/organizer/performances/{performanceId}/sales";
        using var anonymous = _api.Anonymous();
        using var fan = await _api.FanAsync();
        using var other = await _api.OtherOrganizerAsync();
        using var admin = await _api.AdminAsync();

        await AssertProblemAsync(await anonymous.GetAsync(path), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await fan.GetAsync(path), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await other.GetAsync(path), HttpStatusCode.NotFound, "performance.not_found");
        await AssertProblemAsync(await owner.GetAsync($"/api/organizer/performances/{performanceId + 100_000}/sales"), HttpStatusCode.NotFound, "performance.not_found");
        using var mine = await owner.GetAsync(path);
        using var any = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("no-store", mine.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
        Assert.Equal(12, (await any.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totals").GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task Holds_a_payment_a_refund_and_a_check_in_show_in_the_figures()
    {
        using var organizer = await _api.NewOrganizerAsync();
        var (_, performanceId) = await PublishedEventAsync(organizer);
        var seats = await SeatIdsAsync(performanceId);
        using var fan = await _api.FanAsync();

        // A hold of one R seat, and a paid order of two R seats and one S seat.
        await HoldAsync(fan, performanceId, seats["Floor A-1"]);
        var paid = await HoldAsync(fan, performanceId, seats["Floor A-2"], seats["Floor A-3"], seats["Balcony A-1"]);
        var orderId = paid.GetProperty("id").GetString()!;
        using var checkout = await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        using var confirm = await fan.PostAsync("/api/payments/confirm", JsonContent.Create(await checkout.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var tickets = (await confirm.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tickets").EnumerateArray().ToList();

        var sales = await SalesAsync(organizer, performanceId);
        Assert.Equal((12, 3, 1, 8), Counts(sales.GetProperty("totals")));
        Assert.Equal((10, 2, 1, 7), Counts(Grade(sales, "R")));
        Assert.Equal((2, 1, 0, 1), Counts(Grade(sales, "S")));
        Assert.Equal(250_000, sales.GetProperty("revenue").GetProperty("gross").GetInt64());

        // The fan gives back the S seat two months ahead (no fee), and one R ticket is scanned at the entrance.
        using var cancel = await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { seats["Balcony A-1"] } });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var rTicket = tickets.First(t => t.GetProperty("grade").GetString() == "R").GetProperty("id").GetString();
        var code = (await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/{rTicket}")).GetProperty("qrContent").GetString();
        using var checkIn = await organizer.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });
        Assert.Equal(HttpStatusCode.OK, checkIn.StatusCode);

        sales = await SalesAsync(organizer, performanceId);
        Assert.Equal((12, 2, 1, 9), Counts(sales.GetProperty("totals")));
        Assert.Equal((2, 0, 0, 2), Counts(Grade(sales, "S")));
        Assert.Equal(200_000, Grade(sales, "R").GetProperty("soldAmount").GetInt64());
        var revenue = sales.GetProperty("revenue");
        Assert.Equal((250_000L, 50_000L, 200_000L, 1), (revenue.GetProperty("gross").GetInt64(), revenue.GetProperty("refunded").GetInt64(), revenue.GetProperty("net").GetInt64(), revenue.GetProperty("paidOrders").GetInt32()));
        var refunds = sales.GetProperty("refunds");
        Assert.Equal((1, 50_000L, 0L), (refunds.GetProperty("count").GetInt32(), refunds.GetProperty("amount").GetInt64(), refunds.GetProperty("fees").GetInt64()));
        Assert.Equal((1, 2), (sales.GetProperty("checkIns").GetProperty("count").GetInt32(), sales.GetProperty("checkIns").GetProperty("tickets").GetInt32()));
    }

    [Fact]
    public async Task The_sales_page_is_served_at_organizer_slash()
    {
        using var client = _api.Anonymous();

        using var page = await client.GetAsync("/organizer/");
        using var bare = await client.GetAsync("/organizer");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/api/organizer/performances/", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The client follows the redirect: the slash is added so that the page's relative URLs resolve under it.
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Equal("/organizer/", bare.RequestMessage!.RequestUri!.AbsolutePath);
    }

    private static (int Seats, int Sold, int Held, int Available) Counts(JsonElement e) =>
        (e.GetProperty("seats").GetInt32(), e.GetProperty("sold").GetInt32(), e.GetProperty("held").GetInt32(), e.GetProperty("available").GetInt32());

    private static JsonElement Grade(JsonElement sales, string code) =>
        sales.GetProperty("grades").EnumerateArray().Single(g => g.GetProperty("code").GetString() == code);

    private static Task<JsonElement> SalesAsync(HttpClient organizer, long performanceId) =>
        organizer.GetFromJsonAsync<JsonElement>($"/api/organizer/performances/{performanceId}/sales");

    private static async Task<JsonElement> HoldAsync(HttpClient fan, long performanceId, params long[] seatIds)
    {
        using var response = await fan.PostAsJsonAsync($"/api/performances/{performanceId}/holds", new { seatIds });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<Dictionary<string, long>> SeatIdsAsync(long performanceId)
    {
        var map = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/seats");
        var columns = map.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
        var (id, label) = (columns.IndexOf("id"), columns.IndexOf("label"));
        return map.GetProperty("seats").EnumerateArray().ToDictionary(s => s[label].GetString()!, s => s[id].GetInt64());
    }
}
