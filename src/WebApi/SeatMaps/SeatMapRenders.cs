using System.Diagnostics.Metrics;
using MediatR;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Ticketing.Application.Catalog;
using Ticketing.Application.Common;
using Ticketing.WebApi.Endpoints;

namespace Ticketing.WebApi.SeatMaps;

/// <summary>
/// One reading of a performance's seat statuses at a time per instance (single flight): when the last reading is
/// older than <c>SeatMap:CacheMilliseconds</c> (it is kept that long), the first request starts a new one and every
/// request that arrives while it runs awaits the same reading, instead of each reading the database and rendering
/// 40,000 seats again. Only readings in flight are tracked here; finished ones live in the memory cache.
/// A reading is rendered lazily, once per format (the full compact map, the statuses alone), whatever the number of
/// requests it serves. The reading runs on its own scope and is not cancelled by the request that started it (the
/// others wait on it). Readings are counted on <c>ticketing.seatmap.reads</c>, renderings on
/// <c>ticketing.seatmap.renders</c> (tag <c>format</c>), requests that joined one in flight on
/// <c>ticketing.seatmap.read_waits</c>.
/// </summary>
internal sealed class SeatMapRenders
{
    private readonly Dictionary<long, Task<Result<SeatMapReading>>> _inFlight = [];
    private readonly IServiceScopeFactory _scopes;
    private readonly IMemoryCache _cache;
    private readonly IOptions<SeatMapOptions> _options;
    private readonly Counter<long> _reads;
    private readonly Counter<long> _waits;
    private readonly Counter<long> _renders;

    public SeatMapRenders(IServiceScopeFactory scopes, IMemoryCache cache, IOptions<SeatMapOptions> options, IMeterFactory meters)
    {
        _scopes = scopes;
        _cache = cache;
        _options = options;
        var meter = meters.Create(SeatMapMeter.Name);
        _reads = meter.CreateCounter<long>("ticketing.seatmap.reads", description: "Readings of a performance's seat statuses for its seat map (one serves every request waiting on it).");
        _waits = meter.CreateCounter<long>("ticketing.seatmap.read_waits", description: "Seat-map requests that joined a reading already in flight instead of starting one.");
        _renders = meter.CreateCounter<long>("ticketing.seatmap.renders", description: "Seat maps rendered from a reading, by format (full, statuses).");
    }

    /// <summary>The current reading of the performance: a recent one, the one in flight, or a new one.</summary>
    public Task<Result<SeatMapReading>> GetAsync(long performanceId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(Key(performanceId), out SeatMapReading? recent))
        {
            return Task.FromResult<Result<SeatMapReading>>(recent!);
        }

        Task<Result<SeatMapReading>> task;
        lock (_inFlight)
        {
            if (_inFlight.TryGetValue(performanceId, out var running))
            {
                _waits.Add(1);
                task = running;
            }
            else if (_cache.TryGetValue(Key(performanceId), out recent))
            {
                // Finished between the first look and the lock.
                return Task.FromResult<Result<SeatMapReading>>(recent!);
            }
            else
            {
                task = ReadAsync(performanceId);
                _inFlight[performanceId] = task;
            }
        }

        return task.WaitAsync(cancellationToken);
    }

    private static (string, long) Key(long performanceId) => ("seat-map-reading", performanceId);

    private async Task<Result<SeatMapReading>> ReadAsync(long performanceId)
    {
        // Off the caller's stack, so that the lock above is never held across the reading.
        await Task.Yield();
        try
        {
            _reads.Add(1);
            await using var scope = _scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetSeatMap(performanceId), CancellationToken.None);
            if (!result.IsSuccess)
            {
                // Not kept: an unknown or draft performance costs one indexed lookup per request (see SeatLayoutCache).
                return result.Error!;
            }

            var reading = new SeatMapReading(result.Value, _renders);
            // 0 (allowed by the options) means a new reading for every request not joining one in flight;
            // MemoryCache refuses a zero lifetime.
            if (_options.Value.CacheMilliseconds > 0)
            {
                _cache.Set(Key(performanceId), reading, TimeSpan.FromMilliseconds(_options.Value.CacheMilliseconds));
            }

            return reading;
        }
        finally
        {
            lock (_inFlight)
            {
                _inFlight.Remove(performanceId);
            }
        }
    }
}

/// <summary>One reading of the statuses, rendered at most once per format.</summary>
internal sealed class SeatMapReading
{
    private readonly Lazy<RenderedSeatMap> _full;
    private readonly Lazy<RenderedSeatMap> _statuses;

    public SeatMapReading(SeatMapView view, Counter<long> renders)
    {
        View = view;
        _full = new(() =>
        {
            renders.Add(1, new KeyValuePair<string, object?>("format", "full"));
            return SeatMapWriter.Render(view);
        });
        _statuses = new(() =>
        {
            renders.Add(1, new KeyValuePair<string, object?>("format", "statuses"));
            return SeatStatusesWriter.Render(view);
        });
    }

    public SeatMapView View { get; }

    /// <summary>The compact map (<c>GET /api/performances/{id}/seats</c>).</summary>
    public RenderedSeatMap Full => _full.Value;

    /// <summary>The statuses alone, in layout order (<c>GET /api/performances/{id}/seats/statuses</c>).</summary>
    public RenderedSeatMap Statuses => _statuses.Value;
}
