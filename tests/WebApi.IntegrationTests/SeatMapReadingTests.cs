using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.WebApi.IntegrationTests.Holds;
using static Ticketing.WebApi.IntegrationTests.Api;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>
/// Issue 11, point 9: the seat map's stampede. When no recent reading is kept, simultaneous requests share one
/// reading of the statuses and one rendering (counted on the <c>Ticketing.SeatMaps</c> meter of this API alone);
/// a draft's seats are never read for an anonymous request, which gets 404 on every seat-map route. Also the two
/// parts the booking page draws from: the columnar layout (compressed once, Brotli or gzip, 304 on revalidation)
/// and the statuses (one byte per seat).
/// </summary>
public sealed class SeatMapReadingTests
{
    [Fact]
    public async Task Twenty_simultaneous_requests_for_a_map_with_no_recent_reading_are_served_by_one_reading_and_one_rendering()
    {
        const int requests = 20;
        var gate = new VersionGate();
        using var api = new BookingApiFactory()
            .With("SeatMap:CacheMilliseconds", "0") // no reading is kept: each request would read the map again
            .WithServices(services => gate.WrapFeed(services));
        using var counts = new SeatMapCounts(api.Services);
        using var warm = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await warm.GetAsync("/api/performances/1/seats")).StatusCode); // the layout is cached now
        counts.Reset();

        // The first request's reading waits at the version read until all twenty have arrived.
        gate.Close();
        var clients = Enumerable.Range(0, requests).Select(_ => api.CreateClient()).ToList();
        var answers = clients.Select(c => c.GetAsync("/api/performances/1/seats")).ToList();
        await counts.WaitForAsync("ticketing.seatmap.read_waits", requests - 1);
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30)); // and the one reading is held at the gate
        gate.Open();
        var responses = await Task.WhenAll(answers);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        Assert.Equal(1, counts.Total("ticketing.seatmap.reads"));
        Assert.Equal(1, counts.Total("ticketing.seatmap.renders", "full"));
        Assert.Equal(1, gate.Passed);
        foreach (var client in clients)
        {
            client.Dispose();
        }

        // Once it is answered, the next request reads again (nothing is kept with a zero cache lifetime).
        Assert.Equal(HttpStatusCode.OK, (await warm.GetAsync("/api/performances/1/seats")).StatusCode);
        Assert.Equal(2, counts.Total("ticketing.seatmap.reads"));
    }

    [Fact]
    public async Task A_reading_is_kept_for_the_cache_lifetime_and_serves_the_full_map_and_the_statuses_with_one_rendering_each()
    {
        using var api = new BookingApiFactory().With("SeatMap:CacheMilliseconds", "10000");
        using var counts = new SeatMapCounts(api.Services);
        using var client = api.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/performances/1/seats")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/performances/1/seats/statuses")).StatusCode);
        }

        Assert.Equal(1, counts.Total("ticketing.seatmap.reads"));
        Assert.Equal(1, counts.Total("ticketing.seatmap.renders", "full"));
        Assert.Equal(1, counts.Total("ticketing.seatmap.renders", "statuses"));
    }

    [Fact]
    public async Task A_draft_performance_map_is_404_for_anonymous_callers_without_reading_its_seats_and_is_served_once_published()
    {
        using var api = new BookingApiFactory();
        using var counts = new SeatMapCounts(api.Services);
        using var organizer = await api.OrganizerAsync();
        var eventId = (await CreateEventAsync(organizer, EventBody("Draft " + Guid.NewGuid().ToString("N")))).GetProperty("id").GetInt64();
        var seatMap = new
        {
            grades = new object[] { new { code = "R", name = "R", price = 100_000 } },
            sections = new object[] { new { name = "Floor", rows = Enumerable.Range(0, 20).Select(r => new { name = "R" + r, grade = "R", from = 1, to = 100, x = 0, y = r, spacing = 1 }).ToArray() } },
        };
        var performanceId = (await AddPerformanceAsync(organizer, eventId, PerformanceBody(seatMap: seatMap))).GetProperty("id").GetInt64();
        using var anonymous = api.CreateClient();
        // The demo's two performances are read at start-up (on sale); once their maps answer, those reads are done.
        foreach (var demo in new[] { 1, 2 })
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/performances/{demo}/seats/layout")).StatusCode);
        }

        counts.Reset();
        for (var i = 0; i < 10; i++)
        {
            foreach (var path in new[] { "seats", "seats/layout", "seats/statuses", "seats/stream" })
            {
                using var response = await anonymous.GetAsync($"/api/performances/{performanceId}/{path}");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal("performance.not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            }
        }

        // Forty anonymous requests, not one read of the draft's 2,000 seats.
        Assert.Equal(0, counts.Total("ticketing.seatmap.layout_loads"));

        await PublishAsync(organizer, eventId);
        var map = await anonymous.GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/seats");
        Assert.Equal(2_000, map.GetProperty("seats").GetArrayLength());
        var layout = await anonymous.GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/seats/layout");
        Assert.Equal(2_000, layout.GetProperty("count").GetInt32());
        // Read once (by the publish's warm-up or by the first request, whichever came first), then kept.
        Assert.Equal(1, counts.Total("ticketing.seatmap.layout_loads"));
    }

    [Fact]
    public async Task The_layout_and_the_statuses_describe_the_same_seats_as_the_full_map_and_revalidate_with_their_etags()
    {
        using var api = new BookingApiFactory();
        using var fan = await api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 17L, 18L } })).StatusCode);
        using var client = api.CreateClient();
        var full = await client.GetFromJsonAsync<JsonElement>("/api/performances/1/seats");
        var columns = full.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
        var seats = full.GetProperty("seats").EnumerateArray().ToList();

        // The layout, Brotli-compressed when accepted; its labels follow the rule, so the column is left out.
        using var layoutRequest = new HttpRequestMessage(HttpMethod.Get, "/api/performances/1/seats/layout");
        layoutRequest.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        using var layoutResponse = await client.SendAsync(layoutRequest);
        Assert.Equal(HttpStatusCode.OK, layoutResponse.StatusCode);
        Assert.Equal(["br"], layoutResponse.Content.Headers.ContentEncoding);
        await using var brotli = new BrotliStream(await layoutResponse.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var layout = await JsonSerializer.DeserializeAsync<JsonElement>(brotli);
        Assert.Equal(seats.Count, layout.GetProperty("count").GetInt32());
        Assert.False(layout.TryGetProperty("label", out _));
        var sections = layout.GetProperty("sections").EnumerateArray().Select(s => s.GetString()!).ToList();
        for (var i = 0; i < seats.Count; i += 97)
        {
            var seat = seats[i];
            Assert.Equal(seat[columns.IndexOf("id")].GetInt64(), layout.GetProperty("id")[i].GetInt64());
            Assert.Equal(seat[columns.IndexOf("x")].GetDouble(), layout.GetProperty("x")[i].GetDouble());
            Assert.Equal(seat[columns.IndexOf("grade")].GetInt32(), layout.GetProperty("grade")[i].GetInt32());
            var row = layout.GetProperty("row")[i].GetString()!;
            var derived = $"{sections[layout.GetProperty("section")[i].GetInt32()]} {(row.Length == 0 ? string.Empty : row + "-")}{layout.GetProperty("number")[i].GetString()}";
            Assert.Equal(seat[columns.IndexOf("label")].GetString(), derived);
        }

        // Unchanged: 304.
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/performances/1/seats/layout");
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(layoutResponse.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);

        // The statuses: one byte per seat in the layout's order, the two held seats 1.
        using var statusResponse = await client.GetAsync("/api/performances/1/seats/statuses");
        var statuses = await statusResponse.Content.ReadFromJsonAsync<JsonElement>();
        var bytes = Convert.FromBase64String(statuses.GetProperty("statuses").GetString()!);
        Assert.Equal(seats.Count, bytes.Length);
        for (var i = 0; i < seats.Count; i++)
        {
            Assert.Equal(seats[i][columns.IndexOf("status")].GetInt32(), bytes[i]);
        }

        Assert.Equal(2, bytes.Count(b => b == 1));
        Assert.Equal(full.GetProperty("version").GetInt64(), statuses.GetProperty("version").GetInt64());
        using var statusAgain = new HttpRequestMessage(HttpMethod.Get, "/api/performances/1/seats/statuses");
        statusAgain.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(statusResponse.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(statusAgain)).StatusCode);
    }

    /// <summary>Holds the seat map's version read (the first step of a reading) while closed, and counts the reads that passed.</summary>
    private sealed class VersionGate
    {
        private volatile TaskCompletionSource _open = Opened();
        private volatile TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _passed;

        /// <summary>Readings that found the gate closed and waited at it.</summary>
        public int Passed => _passed;

        /// <summary>Completes when a reading arrives at the closed gate.</summary>
        public Task Reached => _reached.Task;

        public void Close()
        {
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Open() => _open.TrySetResult();

        public void WrapFeed(IServiceCollection services)
        {
            var registered = services.Last(d => d.ServiceType == typeof(ISeatChangeFeed));
            services.Remove(registered);
            services.AddSingleton<ISeatChangeFeed>(sp => new GatedFeed((ISeatChangeFeed)registered.ImplementationFactory!(sp), this));
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }

        private sealed class GatedFeed(ISeatChangeFeed inner, VersionGate gate) : ISeatChangeFeed
        {
            public void Publish(long performanceId, IReadOnlyList<SeatChange> changes) => inner.Publish(performanceId, changes);

            public async ValueTask<long> GetVersionAsync(long performanceId, CancellationToken cancellationToken)
            {
                var open = gate._open.Task;
                if (!open.IsCompleted)
                {
                    Interlocked.Increment(ref gate._passed);
                    gate._reached.TrySetResult();
                    await open.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                }

                return await inner.GetVersionAsync(performanceId, cancellationToken);
            }
        }
    }

    /// <summary>The <c>Ticketing.SeatMaps</c> counters of one API (its own meter factory), by name and <c>format</c> tag.</summary>
    private sealed class SeatMapCounts : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _totals = new();
        private readonly List<(string Name, long Value, TaskCompletionSource Reached)> _waiters = [];

        public SeatMapCounts(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SeatMapMeter.Name && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? format = null;
                foreach (var tag in tags)
                {
                    format = tag.Key == "format" ? tag.Value as string : format;
                }

                _totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
                if (format is not null)
                {
                    _totals.AddOrUpdate(instrument.Name + "/" + format, value, (_, v) => v + value);
                }

                Release();
            });
            _listener.Start();
        }

        public long Total(string name, string? format = null) => _totals.GetValueOrDefault(format is null ? name : name + "/" + format);

        public void Reset() => _totals.Clear();

        /// <summary>Waits until a counter reaches a value (the requests have arrived), failing after 30 s.</summary>
        public async Task WaitForAsync(string name, long value)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiters)
            {
                _waiters.Add((name, value, reached));
            }

            Release();
            try
            {
                await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{name} reached {Total(name)} of {value}");
            }
        }

        /// <summary>Completes every wait whose counter has reached its value (called on each measurement).</summary>
        private void Release()
        {
            lock (_waiters)
            {
                _waiters.RemoveAll(w => Total(w.Name) >= w.Value && w.Reached.TrySetResult());
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
