using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.WebApi.IntegrationTests;

[Collection(ApiCollection.Name)]
public sealed class SeatMapEndpointTests(TicketingApiFactory factory)
{
    private readonly Api _api = new(factory);

    [Fact]
    public async Task The_demo_seat_map_has_five_thousand_available_seats_in_four_grades()
    {
        var (eventId, performanceId) = await _api.DemoPerformanceAsync();

        var map = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/seats");

        Assert.Equal(performanceId, map.GetProperty("performanceId").GetInt64());
        Assert.Equal(eventId, map.GetProperty("eventId").GetInt64());
        var grades = map.GetProperty("grades").EnumerateArray().Select(g => g.GetProperty("code").GetString()).ToList();
        Assert.Equal(["VIP", "R", "S", "A"], grades);
        var columns = map.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
        var statuses = map.GetProperty("statuses").EnumerateArray().Select(s => s.GetString()).ToList();
        var seats = map.GetProperty("seats").EnumerateArray().ToList();
        Assert.Equal(5_000, seats.Count);
        var (label, x, y, grade, status) = (columns.IndexOf("label"), columns.IndexOf("x"), columns.IndexOf("y"), columns.IndexOf("grade"), columns.IndexOf("status"));
        Assert.All(seats, seat =>
        {
            Assert.False(string.IsNullOrWhiteSpace(seat[label].GetString()));
            Assert.Equal(JsonValueKind.Number, seat[x].ValueKind);
            Assert.Equal(JsonValueKind.Number, seat[y].ValueKind);
            Assert.InRange(seat[grade].GetInt32(), 0, grades.Count - 1);
            Assert.Equal("available", statuses[seat[status].GetInt32()]);
        });
        Assert.Equal(5_000, seats.Select(s => s[label].GetString()).Distinct().Count());
        Assert.Equal(4, seats.Select(s => s[grade].GetInt32()).Distinct().Count());
        Assert.Equal(5_000, map.GetProperty("counts").GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task The_seat_map_is_gzip_compressed_when_the_client_accepts_it()
    {
        var (_, performanceId) = await _api.DemoPerformanceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/performances/{performanceId}/seats");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await _api.Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var map = await JsonSerializer.DeserializeAsync<JsonElement>(gzip);
        Assert.Equal(5_000, map.GetProperty("seats").GetArrayLength());
    }

    [Fact]
    public async Task The_seat_map_is_plain_json_without_accept_encoding()
    {
        var (_, performanceId) = await _api.DemoPerformanceAsync();

        using var response = await _api.Anonymous().GetAsync($"/api/performances/{performanceId}/seats");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Revalidating_with_the_etag_answers_not_modified()
    {
        var (_, performanceId) = await _api.DemoPerformanceAsync();
        using var client = _api.Anonymous();
        using var first = await client.GetAsync($"/api/performances/{performanceId}/seats");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/performances/{performanceId}/seats");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_stale_etag_gets_the_full_map()
    {
        var (_, performanceId) = await _api.DemoPerformanceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/performances/{performanceId}/seats");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\"", isWeak: true));

        using var response = await _api.Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
