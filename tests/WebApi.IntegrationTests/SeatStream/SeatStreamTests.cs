using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Orders;
using Ticketing.WebApi.IntegrationTests.Holds;
using Ticketing.WebApi.IntegrationTests.Payments;

namespace Ticketing.WebApi.IntegrationTests.SeatStream;

/// <summary>
/// The live seat map in process: every way a seat changes reaches the stream as a delta, batched on the test's
/// clock (advanced, never slept on), versioned like the map, and replayed after a reconnect.
/// </summary>
public sealed class SeatStreamTests : IDisposable
{
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(250);
    private readonly BookingApiFactory _api = new BookingApiFactory().With("SeatStream:ReplayEvents", "4");

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task The_stream_starts_at_the_maps_version_and_a_hold_a_cancel_and_an_expiry_each_arrive_as_a_delta()
    {
        var fan = await _api.FanAsync();
        var map = await SeatMapAsync(_api.CreateClient(), 1);
        await using var stream = await SseClient.OpenAsync(_api.CreateClient(), 1);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);

        var first = await stream.NextAsync();
        Assert.Equal("version", first.Event);
        Assert.Equal(map.GetProperty("version").GetInt64(), first.Version);
        Assert.Equal(first.Id, first.Version);

        var order = await HoldAsync(fan, 101, 102);
        var held = await stream.NextSeatsAsync();
        Assert.Equal([(101L, 1), (102L, 1)], held.Changes);
        Assert.True(held.Version > first.Version);

        Assert.Equal(HttpStatusCode.OK, (await fan.DeleteAsync($"/api/orders/{order}")).StatusCode);
        _api.Clock.Advance(Batch);
        var cancelled = await stream.NextSeatsAsync();
        Assert.Equal([(101L, 0), (102L, 0)], cancelled.Changes);
        Assert.Equal(held.Version + 1, cancelled.Version);

        await HoldAsync(fan, 103);
        _api.Clock.Advance(Batch);
        Assert.Equal([(103L, 1)], (await stream.NextSeatsAsync()).Changes);

        _api.Clock.Advance(TimeSpan.FromMinutes(11));
        await using (var scope = _api.Services.CreateAsyncScope())
        {
            Assert.Equal(1, (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExpireDueOrders())).Expired);
        }

        var expired = await stream.NextSeatsAsync();
        Assert.Equal([(103L, 0)], expired.Changes);

        // The map now carries the version of the last change, read before its statuses.
        var after = await SeatMapAsync(_api.CreateClient(), 1);
        Assert.Equal(expired.Version, after.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Changes_within_one_batch_interval_arrive_as_one_event_with_the_last_status_of_each_seat()
    {
        var fan = await _api.FanAsync();
        await using var stream = await SseClient.OpenAsync(_api.CreateClient(), 1);
        var start = await stream.NextAsync();
        await HoldAsync(fan, 201);
        var first = await stream.NextSeatsAsync();

        // The clock stands still: these wait for the next batch, where 202's hold and release cancel out to available.
        var second = await HoldAsync(fan, 202);
        Assert.Equal(HttpStatusCode.OK, (await fan.DeleteAsync($"/api/orders/{second}")).StatusCode);
        await HoldAsync(fan, 203, 204);
        _api.Clock.Advance(Batch);

        var batched = await stream.NextSeatsAsync();
        Assert.Equal([(202L, 0), (203L, 1), (204L, 1)], batched.Changes);
        Assert.Equal(first.Version + 1, batched.Version);
        Assert.Equal(start.Version + 2, batched.Version);
    }

    [Fact]
    public async Task A_reconnect_with_last_event_id_gets_what_it_missed_and_an_id_too_old_or_unknown_gets_reload()
    {
        var fan = await _api.FanAsync();
        await using var stream = await SseClient.OpenAsync(_api.CreateClient(), 1);
        await stream.NextAsync();
        var versions = new List<long>();
        foreach (var seat in new long[] { 301, 302, 303, 304, 305 })
        {
            // A fan of its own per seat: the demo lets one fan hold only a few seats.
            await HoldAsync(await _api.FanAsync(), seat);
            _api.Clock.Advance(Batch);
            versions.Add((await stream.NextSeatsAsync()).Version);
        }

        // Missed the last two: one event brings both.
        await using (var resumed = await SseClient.OpenAsync(_api.CreateClient(), 1, versions[2]))
        {
            var hello = await resumed.NextAsync();
            Assert.Equal("version", hello.Event);
            Assert.Equal(versions[2], hello.Version);
            var missed = await resumed.NextSeatsAsync();
            Assert.Equal(versions[4], missed.Version);
            Assert.Equal([(304L, 1), (305L, 1)], missed.Changes);

            // And it goes on live from there.
            await HoldAsync(fan, 306);
            _api.Clock.Advance(Batch);
            Assert.Equal([(306L, 1)], (await resumed.NextSeatsAsync()).Changes);
        }

        // Four events are kept: the first one's successor is gone; an id never given is unknown.
        foreach (var stale in new[] { versions[0], 9_999L })
        {
            await using var resumed = await SseClient.OpenAsync(_api.CreateClient(), 1, stale);
            var reload = await resumed.NextAsync();
            Assert.Equal("reload", reload.Event);
            Assert.Equal(versions[4] + 1, reload.Version);
        }
    }

    [Fact]
    public async Task Unknown_and_unpublished_performances_are_404_problems_and_a_full_instance_answers_503_with_retry_after()
    {
        using var anonymous = _api.CreateClient();
        var missing = await anonymous.GetAsync("/api/performances/987654/seats/stream");
        await Api.AssertProblemAsync(missing, HttpStatusCode.NotFound, "performance.not_found");

        var organizer = await _api.OrganizerAsync();
        var created = await Api.CreateEventAsync(organizer);
        var draft = (await Api.AddPerformanceAsync(organizer, created.GetProperty("id").GetInt64())).GetProperty("id").GetInt64();
        await Api.AssertProblemAsync(await anonymous.GetAsync($"/api/performances/{draft}/seats/stream"), HttpStatusCode.NotFound, "performance.not_found");

        using var small = new BookingApiFactory().With("SeatStream:MaxListeners", "1");
        await using var only = await SseClient.OpenAsync(small.CreateClient(), 1);
        Assert.Equal("version", (await only.NextAsync()).Event);
        var refused = await small.CreateClient().GetAsync("/api/performances/1/seats/stream");
        await Api.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "seats.stream_full");
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_payment_turns_held_seats_sold_and_a_refund_makes_them_available()
    {
        await using var p = await PaymentApi.StartAsync();
        var fan = await p.Api.FanAsync();
        await using var stream = await SseClient.OpenAsync(p.Api.CreateClient(), 1);
        await stream.NextAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 4101, 4102);
        Assert.Equal([(4101L, 1), (4102L, 1)], (await stream.NextSeatsAsync()).Changes);

        var confirmed = await PaymentApi.ConfirmAsync(fan, p.Checkout(orderId, amount), orderId, amount);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        p.Api.Clock.Advance(Batch);
        Assert.Equal([(4101L, 2), (4102L, 2)], (await stream.NextSeatsAsync()).Changes);

        Assert.Equal(HttpStatusCode.OK, (await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { 4102L } })).StatusCode);
        p.Api.Clock.Advance(Batch);
        Assert.Equal([(4102L, 0)], (await stream.NextSeatsAsync()).Changes);
    }

    internal static async Task<string> HoldAsync(HttpClient fan, params long[] seats)
    {
        var response = await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = seats });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    internal static async Task<JsonElement> SeatMapAsync(HttpClient client, long performanceId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/seats");
}
