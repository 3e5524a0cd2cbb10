using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.SeatChanges;

/// <summary>
/// <see cref="ISeatChangeFeed"/>: committed changes go into a bounded buffer without waiting; one loop drains it,
/// keeps the last status per seat, and publishes each performance's changes at most once per batch interval
/// (<see cref="SeatStreamOptions.BatchMilliseconds"/>, measured on the injected clock) through the bus. A full
/// buffer, or a batch the bus could not take, turns into a <c>reload</c> for that performance's listeners.
/// </summary>
internal sealed partial class SeatChangeFeed : BackgroundService, ISeatChangeFeed
{
    /// <summary>How often the loop looks at the clock while changes wait for their batch to be due.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly Channel<(long PerformanceId, SeatChange[] Changes)> _buffer;
    private readonly ConcurrentDictionary<long, byte> _lost = new();
    private readonly Dictionary<long, Dictionary<long, byte>> _pending = [];
    private readonly Dictionary<long, long> _lastPublished = [];
    private readonly ISeatChangeBus _bus;
    private readonly SeatChangeHub _hub;
    private readonly TimeProvider _clock;
    private readonly ILogger<SeatChangeFeed> _logger;
    private readonly SeatStreamOptions _options;

    public SeatChangeFeed(ISeatChangeBus bus, SeatChangeHub hub, TimeProvider clock, IOptions<SeatStreamOptions> options, ILogger<SeatChangeFeed> logger)
    {
        _bus = bus;
        _hub = hub;
        _clock = clock;
        _logger = logger;
        _options = options.Value;
        _buffer = Channel.CreateBounded<(long, SeatChange[])>(new BoundedChannelOptions(_options.BufferCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        hub.VersionSource = GetVersionAsync;
    }

    public void Publish(long performanceId, IReadOnlyList<SeatChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        if (!_buffer.Writer.TryWrite((performanceId, [.. changes])))
        {
            // Never wait on the hold path: the listeners of this performance reload the map instead.
            _lost.TryAdd(performanceId, 0);
            SeatStreamMetrics.Dropped();
        }
    }

    public async ValueTask<long> GetVersionAsync(long performanceId, CancellationToken cancellationToken)
    {
        try
        {
            return await _bus.GetVersionAsync(performanceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or ObjectDisposedException)
        {
            // The map still renders; its version is then 0, and a client applies every change it sees (statuses
            // are absolute, so applying one it already has changes nothing).
            LogVersionUnavailable(_logger, performanceId, ex);
            return 0;
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _bus.StartAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(_options.HeartbeatSeconds), _clock);
        var pings = PingAsync(heartbeat, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_pending.Count == 0 && _lost.IsEmpty)
                {
                    await _buffer.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(Poll, _clock, stoppingToken).ConfigureAwait(false);
                }

                Drain();
                await PublishDueAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await pings.ConfigureAwait(false);
    }

    private async Task PingAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                _hub.Ping();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Drain()
    {
        while (_buffer.Reader.TryRead(out var item))
        {
            if (!_pending.TryGetValue(item.PerformanceId, out var seats))
            {
                _pending[item.PerformanceId] = seats = [];
            }

            foreach (var change in item.Changes)
            {
                seats[change.SeatId] = (byte)change.Status;
            }
        }
    }

    private async Task PublishDueAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetTimestamp();
        var interval = TimeSpan.FromMilliseconds(_options.BatchMilliseconds);
        foreach (var performanceId in _pending.Keys.Concat(_lost.Keys).Distinct().ToList())
        {
            if (_lastPublished.TryGetValue(performanceId, out var last) && _clock.GetElapsedTime(last, now) < interval)
            {
                continue;
            }

            var reload = _lost.TryRemove(performanceId, out _);
            var batch = reload || !_pending.TryGetValue(performanceId, out var seats)
                ? SeatChangeBatch.Reload
                : new SeatChangeBatch([.. seats.Keys], [.. seats.Values]);
            _pending.Remove(performanceId);
            _lastPublished[performanceId] = now;
            try
            {
                await _bus.PublishAsync(performanceId, batch, cancellationToken).ConfigureAwait(false);
                SeatStreamMetrics.Published(batch.SeatIds?.Length ?? 0);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or ObjectDisposedException)
            {
                // Nobody got this batch: the performance's listeners reload once the bus takes messages again.
                _lost.TryAdd(performanceId, 0);
                LogPublishFailed(_logger, performanceId, ex);
            }
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Seat changes of performance {PerformanceId} could not be published; its listeners will reload")]
    private static partial void LogPublishFailed(ILogger logger, long performanceId, Exception exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "The seat-change version of performance {PerformanceId} could not be read")]
    private static partial void LogVersionUnavailable(ILogger logger, long performanceId, Exception exception);
}
