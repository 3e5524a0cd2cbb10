using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Ticketing.WaitingRoom.Queue;

namespace Ticketing.WaitingRoom.Telemetry;

/// <summary>
/// The waiting room's own instruments (meter <c>Ticketing.WaitingRoom</c>). Counters are process-wide; Prometheus's
/// <c>rate()</c> turns them into per-second figures. The queue length is read from the room snapshots the fan
/// requests already bring back, so a scrape costs no store call.
/// </summary>
internal static class WaitingRoomMetrics
{
    public const string MeterName = "Ticketing.WaitingRoom";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Joins = Meter.CreateCounter<long>(
        "ticketing.waitingroom.joins", "{fan}", "Joins answered (a fan coming back with its ticket counts again).");

    private static readonly Counter<long> Admitted = Meter.CreateCounter<long>(
        "ticketing.waitingroom.admitted", "{fan}", "Fans admitted to the booking site (first admission of each fan).");

    private static readonly Counter<long> PassesIssued = Meter.CreateCounter<long>(
        "ticketing.waitingroom.passes_issued", "{pass}", "Access passes signed (an admitted fan asking again gets its pass signed again).");

    private static readonly ConcurrentDictionary<string, RoomQueue> Rooms = new(StringComparer.Ordinal);

    static WaitingRoomMetrics()
    {
        Meter.CreateObservableGauge(
            "ticketing.waitingroom.queue_length",
            ObserveQueueLengths,
            "{fan}",
            "Fans in line per room (before opening: in the pre-queue), as of the last fan request this instance served.");
    }

    public static void Joined() => Joins.Add(1);

    public static void FanAdmitted() => Admitted.Add(1);

    public static void PassIssued() => PassesIssued.Add(1);

    /// <summary>Remembers the room's line length from a snapshot a fan request read anyway: no allocation once the room is known.</summary>
    public static void Observe(string roomId, in RoomSnapshot snapshot)
    {
        var length = snapshot.Opened ? Math.Max(0, snapshot.Tail - snapshot.Serving) : snapshot.PreQueueCount;
        if (!Rooms.TryGetValue(roomId, out var room))
        {
            room = Rooms.GetOrAdd(roomId, static id => new RoomQueue(id));
        }

        Volatile.Write(ref room.Length, length);
    }

    /// <summary>The room is gone (deleted, or the store no longer knows it): stop reporting it.</summary>
    public static void Forget(string roomId) => Rooms.TryRemove(roomId, out _);

    private static IEnumerable<Measurement<long>> ObserveQueueLengths()
    {
        var measurements = new List<Measurement<long>>(Rooms.Count);
        foreach (var (_, room) in Rooms)
        {
            measurements.Add(new Measurement<long>(Volatile.Read(ref room.Length), room.Tag));
        }

        return measurements;
    }

    private sealed class RoomQueue(string roomId)
    {
        public readonly KeyValuePair<string, object?> Tag = new("room", roomId);
        public long Length;
    }
}
