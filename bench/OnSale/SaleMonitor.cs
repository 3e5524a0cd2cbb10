using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Ticketing.OnSale;

/// <summary>
/// Watches the sale from outside the fans' path, every 250 ms: the room's stats (the serving counter, why it paces)
/// and the WebApi's inventory, which names the moment nothing is left and no hold can come back (sold out).
/// </summary>
internal sealed class SaleMonitor(HttpClient http, OnSaleSettings settings, Recorder recorder, string roomId, long performanceId)
{
    private readonly List<RoomSample> _samples = [];
    private readonly List<CounterSample> _counter = [];

    /// <summary>First moment the inventory said 0 available and 0 held (NaN: never).</summary>
    public double SoldOutAt { get; private set; } = double.NaN;

    /// <summary>First moment the room's stats said soldOut (NaN: never).</summary>
    public double RoomSoldOutAt { get; private set; } = double.NaN;

    public IReadOnlyList<RoomSample> Samples => _samples;

    /// <summary>The serving counter and the second it was advanced to, read from the queue store itself.</summary>
    public IReadOnlyList<CounterSample> Counter => _counter;

    public async Task RunAsync(CancellationToken stop)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(settings.Redis);
        var state = (RedisKey)("wr:{" + roomId + "}:st");
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await timer.WaitForNextTickAsync(stop))
        {
            await SampleCounterAsync(redis.GetDatabase(), state, "wr:{" + roomId + "}:");
            await SampleRoomAsync(stop);
            if (double.IsNaN(SoldOutAt))
            {
                await SampleInventoryAsync(stop);
            }
        }
    }

    private async Task SampleRoomAsync(CancellationToken stop)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, settings.Gateways[0] + $"/api/admin/rooms/{roomId}/stats");
            request.Headers.Add("X-Admin-Key", settings.AdminKey);
            var asked = recorder.Now;
            using var response = await http.SendAsync(request, stop);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop));
            var answered = recorder.Now;
            var s = json.RootElement;
            var sample = new RoomSample(
                (asked + answered) / 2,
                s.GetProperty("opened").GetBoolean(),
                s.GetProperty("serving").GetInt64(),
                s.GetProperty("admitted").GetInt64(),
                s.GetProperty("queueLength").GetInt64(),
                s.TryGetProperty("pacing", out var pacing) ? pacing.GetString() ?? "?" : "?",
                s.TryGetProperty("soldOut", out var sold) && sold.ValueKind == JsonValueKind.True,
                answered - asked);
            _samples.Add(sample);
            if (sample.SoldOut && double.IsNaN(RoomSoldOutAt))
            {
                RoomSoldOutAt = answered;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException)
        {
            // One missed sample; the next comes in 250 ms.
        }
    }

    private async Task SampleCounterAsync(IDatabase redis, RedisKey state, string prefix)
    {
        try
        {
            // One transaction: the counter, the controller's inventory cap and the active passes at one instant.
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var batch = redis.CreateTransaction();
            var values = batch.HashGetAsync(state, ["opened", "tick", "serving"]);
            var inventory = batch.HashGetAsync(prefix + "inv", ["until", "icap"]);
            var active = batch.SortedSetLengthAsync(prefix + "act", now, double.PositiveInfinity);
            await batch.ExecuteAsync();
            var v = await values;
            if ((string?)v[0] == "1")
            {
                var inv = await inventory;
                var capValid = inv[0].HasValue && long.Parse((string)inv[0]!, CultureInfo.InvariantCulture) > now;
                var cap = capValid && long.TryParse((string?)inv[1], CultureInfo.InvariantCulture, out var c) && c >= 0 ? c : long.MaxValue;
                _counter.Add(new CounterSample(
                    recorder.Now,
                    long.Parse((string)v[1]!, CultureInfo.InvariantCulture),
                    long.Parse((string)v[2]!, CultureInfo.InvariantCulture),
                    cap == long.MaxValue ? long.MaxValue : cap - await active));
            }
        }
        catch (RedisException)
        {
            // One missed sample.
        }
    }

    private async Task SampleInventoryAsync(CancellationToken stop)
    {
        try
        {
            var asked = recorder.Now;
            using var json = JsonDocument.Parse(await http.GetStringAsync(settings.Api + $"/api/inventory?performanceIds={performanceId}", stop));
            var root = json.RootElement;
            var performances = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("performances");
            foreach (var p in performances.EnumerateArray())
            {
                if (p.GetProperty("performanceId").GetInt64() == performanceId
                    && p.GetProperty("available").GetInt64() == 0 && p.GetProperty("held").GetInt64() == 0)
                {
                    SoldOutAt = asked;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // One missed sample.
        }
    }
}

/// <param name="At">Driver clock, when read.</param>
/// <param name="Tick">The last whole second (Unix) the room was advanced to; <paramref name="Serving"/> is the counter then.</param>
/// <param name="Headroom">Passes the inventory cap still allows beyond the active ones (MaxValue: no cap in force).</param>
internal sealed record CounterSample(double At, long Tick, long Serving, long Headroom);

/// <param name="At">Driver clock, the middle of the request.</param>
internal sealed record RoomSample(double At, bool Opened, long Serving, long Admitted, long QueueLength, string Pacing, bool SoldOut, double TookMs);
