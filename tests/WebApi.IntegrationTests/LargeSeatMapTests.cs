using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Ticketing.WebApi.IntegrationTests.Api;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>
/// The stadium-sized upload, on an API of its own: storing 40,000 seats takes SQLite several seconds, and a fixture
/// of its own lets that run beside the other HTTP tests instead of before them. This API renders seat maps on every
/// request (<c>SeatMap:CacheMilliseconds=0</c>, a value the options accept), so that path is covered too.
/// </summary>
public sealed class LargeSeatMapTests(LargeSeatMapTests.UncachedSeatMapApiFactory factory) : IClassFixture<LargeSeatMapTests.UncachedSeatMapApiFactory>
{
    private readonly Api _api = new(factory);

    [Fact]
    public async Task A_forty_thousand_seat_performance_posted_as_one_request_serves_every_seat_after_publish()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer, EventBody("Stadium " + Guid.NewGuid().ToString("N")))).GetProperty("id").GetInt64();
        var sections = Enumerable.Range(0, 8).Select(s => new
        {
            name = "S" + s,
            rows = Enumerable.Range(0, 50).Select(r => new { name = "R" + r, grade = s < 2 ? "VIP" : "R", from = 1, to = 100, x = 0, y = (s * 60) + r, spacing = 1.5 }).ToArray(),
        }).ToArray();
        var seatMap = new { grades = new object[] { new { code = "VIP", name = "VIP", price = 200_000 }, new { code = "R", name = "R", price = 100_000 } }, sections };

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", PerformanceBody(seatMap: seatMap));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var performanceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await PublishAsync(organizer, id);
        var map = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/seats");
        Assert.Equal(40_000, map.GetProperty("seats").GetArrayLength());
        Assert.Equal(40_000, map.GetProperty("counts").GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task Seat_maps_are_served_when_rendering_is_not_cached()
    {
        var (_, performanceId) = await _api.DemoPerformanceAsync();
        using var client = _api.Anonymous();

        using var first = await client.GetAsync($"/api/performances/{performanceId}/seats");
        using var second = await client.GetAsync($"/api/performances/{performanceId}/seats");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    public sealed class UncachedSeatMapApiFactory : TicketingApiFactory
    {
        protected override int? SeatMapCacheMilliseconds => 0;
    }
}
