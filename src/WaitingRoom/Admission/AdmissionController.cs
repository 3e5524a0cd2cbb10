using Microsoft.Extensions.Options;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Admission;

/// <summary>
/// The controller's second: on the instance holding the lease, reads the seats left and the WebApi's health for every
/// paced room in one request and writes each room's facts (cap, rate factor, sold out) into the queue store, where
/// every advance applies them atomically. The controller never admits anyone itself: the rooms keep advancing on each
/// fan request as before, so admission at the set rate does not depend on it (its facts go stale after
/// <c>StaleAfterSeconds</c> and the room falls back to its set rate).
/// </summary>
internal sealed partial class AdmissionController(
    IQueueStore store,
    IControllerLease lease,
    InventoryClient inventory,
    TimeProvider time,
    RandomSource random,
    IOptions<WaitingRoomOptions> options,
    ILogger<AdmissionController> logger)
{
    /// <summary>Runs one second of control. Returns true when this instance held the lease and did the work.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Admission;
        if (!await lease.TryAcquireAsync(TimeSpan.FromSeconds(settings.LeaseSeconds)).ConfigureAwait(false))
        {
            return false;
        }

        var rooms = new List<RoomDefinition>();
        var performanceIds = new SortedSet<long>();
        foreach (var room in store.ListRooms())
        {
            if (room.PerformanceIds.Length > 0 && room.Mode is not (RoomMode.Closed or RoomMode.Passthrough))
            {
                rooms.Add(room);
                performanceIds.UnionWith(room.PerformanceIds);
            }
        }

        if (rooms.Count == 0)
        {
            return true;
        }

        var report = await inventory.GetAsync(performanceIds, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return true;
        }

        var byId = new Dictionary<long, PerformanceInventoryDto>(report.Performances.Count);
        foreach (var performance in report.Performances)
        {
            byId[performance.PerformanceId] = performance;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var room in rooms)
        {
            var facts = Decide(room, byId, report.Health, store.GetInventory(room.Id), now, settings);
            if (facts is null)
            {
                LogUnknownPerformance(logger, room.Id);
                continue;
            }

            store.SetInventory(room.Id, facts, now, random.NextSeed());
        }

        return true;
    }

    /// <summary>
    /// The formulas: seats left A = Σ available, comeback H = Σ held over the room's performances; cap =
    /// floor(A × fansPerAvailableSeat) (none when the setting is 0); sold out when A = 0 and H = 0; the rate factor halves
    /// (BackOffFactor) each second the WebApi's p99 or error rate is over the room's limit, down to MinRateFactor, and
    /// grows by RecoveryStep each healthy second, up to 1. Null when a performance is missing from the report.
    /// </summary>
    internal static RoomInventory? Decide(
        RoomDefinition room,
        IReadOnlyDictionary<long, PerformanceInventoryDto> performances,
        WebApiHealthDto? health,
        RoomInventory? previous,
        long nowMs,
        AdmissionOptions settings)
    {
        long available = 0;
        long held = 0;
        foreach (var id in room.PerformanceIds)
        {
            if (!performances.TryGetValue(id, out var performance))
            {
                return null;
            }

            available += performance.Available;
            held += performance.Held;
        }

        var cap = room.FansPerAvailableSeat > 0 ? (long)Math.Floor(available * room.FansPerAvailableSeat) : -1;
        var unhealthy = health is not null
            && ((room.MaxWebApiP99Ms > 0 && health.P99Ms > room.MaxWebApiP99Ms)
                || (room.MaxWebApiErrorRate > 0 && health.ErrorRate > room.MaxWebApiErrorRate));
        var factor = previous is not null && previous.IsValidAt(nowMs) ? previous.RateFactor : 1;
        factor = unhealthy
            ? Math.Max(settings.MinRateFactor, factor * settings.BackOffFactor)
            : Math.Min(1, factor + settings.RecoveryStep);
        return new RoomInventory(
            nowMs,
            nowMs + (settings.StaleAfterSeconds * 1000L),
            available,
            held,
            cap,
            available == 0 && held == 0,
            factor,
            health?.P99Ms,
            health?.ErrorRate);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room '{RoomId}' names a performance the inventory endpoint does not know; its facts are not updated")]
    private static partial void LogUnknownPerformance(ILogger logger, string roomId);
}
