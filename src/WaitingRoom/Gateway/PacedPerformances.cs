using System.Collections.Frozen;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Gateway;

/// <summary>A room that paces a performance, with what the pass check needs precomputed (no per-request strings).</summary>
internal sealed class PacingRoom(string id, bool requiresPass)
{
    public string Id { get; } = id;

    /// <summary>False for a passthrough room: everyone is admitted at once, so the gateway lets calls through.</summary>
    public bool RequiresPass { get; } = requiresPass;

    /// <summary><c>wr_pass_{roomId}</c>.</summary>
    public string CookieName { get; } = PassCookie.Name(id);

    public string QueueUrl { get; } = "/queue/" + id;
}

/// <summary>
/// Performance id → the rooms that pace it, read from the queue store (so every instance and both stores agree) and
/// kept as one frozen snapshot: the pass check reads it with one dictionary lookup. Refreshed at once after a local
/// admin change and every <c>Gateway:RoomRefreshSeconds</c> for changes made on other instances.
/// </summary>
internal sealed partial class PacedPerformances(IQueueStore store, ILogger<PacedPerformances> logger)
{
    private volatile FrozenDictionary<long, PacingRoom[]> _rooms = FrozenDictionary<long, PacingRoom[]>.Empty;

    /// <summary>The rooms pacing <paramref name="performanceId"/>, ordered by id; null when none does.</summary>
    public PacingRoom[]? RoomsOf(long performanceId) => _rooms.TryGetValue(performanceId, out var rooms) ? rooms : null;

    /// <summary>Reads every room again. A store outage keeps the last snapshot (the WebApi checks passes too).</summary>
    public void Refresh()
    {
        IReadOnlyList<RoomDefinition> definitions;
        try
        {
            definitions = store.ListRooms();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            LogRefreshFailed(logger, ex);
            return;
        }

        var byPerformance = new Dictionary<long, List<PacingRoom>>();
        foreach (var definition in definitions)
        {
            var room = new PacingRoom(definition.Id, definition.Mode != RoomMode.Passthrough);
            foreach (var performanceId in definition.PerformanceIds)
            {
                if (!byPerformance.TryGetValue(performanceId, out var list))
                {
                    byPerformance[performanceId] = list = [];
                }

                list.Add(room);
            }
        }

        var frozen = new Dictionary<long, PacingRoom[]>(byPerformance.Count);
        foreach (var (performanceId, list) in byPerformance)
        {
            list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            frozen[performanceId] = [.. list];
        }

        _rooms = frozen.ToFrozenDictionary();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the rooms for the gateway's pass check; keeping the last known rooms")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

/// <summary>Loads the rooms at start (after the demo room is seeded) and reads them again periodically.</summary>
internal sealed class PacedPerformancesRefresher(PacedPerformances paced, TimeProvider time, Microsoft.Extensions.Options.IOptions<GatewayOptions> options) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        paced.Refresh();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RoomRefreshSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                // ListRooms is synchronous (admin path); run it off the timer's thread.
                await Task.Run(paced.Refresh, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
