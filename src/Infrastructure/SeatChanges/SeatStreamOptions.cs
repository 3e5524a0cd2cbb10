using System.ComponentModel.DataAnnotations;

namespace Ticketing.Infrastructure.SeatChanges;

/// <summary><c>SeatStream</c> section: the live seat map's batching, replay and listener limits.</summary>
public sealed class SeatStreamOptions
{
    public const string SectionName = "SeatStream";

    /// <summary>At most one change event per performance per this many milliseconds.</summary>
    [Range(10, 10_000)]
    public int BatchMilliseconds { get; set; } = 250;

    /// <summary>Recent events kept per performance for <c>Last-Event-ID</c> replay; older ids get a reload.</summary>
    [Range(1, 100_000)]
    public int ReplayEvents { get; set; } = 512;

    /// <summary>Seat changes waiting to be batched; beyond it changes are dropped and listeners told to reload.</summary>
    [Range(16, 10_000_000)]
    public int BufferCapacity { get; set; } = 65_536;

    /// <summary>Open streams per instance; more are refused with 503 and Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int MaxListeners { get; set; } = 10_000;

    /// <summary>Frames waiting for one slow listener; a listener that falls further behind is disconnected (it reconnects and replays).</summary>
    [Range(4, 100_000)]
    public int ListenerBuffer { get; set; } = 64;

    /// <summary>Seconds between <c>: ping</c> comments on every stream.</summary>
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 15;
}
