using System.Diagnostics.Metrics;

namespace Ticketing.Infrastructure.SeatChanges;

/// <summary>The live seat map's instruments (meter <c>Ticketing.SeatStream</c>).</summary>
internal static class SeatStreamMetrics
{
    public const string MeterName = "Ticketing.SeatStream";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Events = Meter.CreateCounter<long>(
        "ticketing.seatstream.events", "{event}", "Change events published (one per performance per batch).");

    private static readonly Counter<long> Seats = Meter.CreateCounter<long>(
        "ticketing.seatstream.seats", "{seat}", "Seat changes carried by published events, after coalescing.");

    private static readonly Counter<long> Drops = Meter.CreateCounter<long>(
        "ticketing.seatstream.dropped", "{publish}", "Publishes dropped because the feed's buffer was full (listeners reload).");

    public static void Published(int seats)
    {
        Events.Add(1);
        Seats.Add(seats);
    }

    public static void Dropped() => Drops.Add(1);
}
