using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>What a fan's record says, after the room was advanced to "now".</summary>
internal enum FanKind
{
    /// <summary>The room does not exist.</summary>
    NoRoom,

    /// <summary>No record for this ticket in this room (e.g. the room was recreated).</summary>
    Unknown,

    /// <summary>Joined before opening; the place is drawn at opening.</summary>
    PreQueue,

    /// <summary>Holds a place in line.</summary>
    Queued,

    /// <summary>Holds an unexpired pass.</summary>
    Admitted,

    /// <summary>Lost the place (stopped asking) or the pass expired.</summary>
    Expired,

    /// <summary>Join refused: the room is closed.</summary>
    Closed,
}

/// <summary>The room's counters as one atomic read.</summary>
internal readonly record struct RoomSnapshot(
    RoomMode Mode,
    bool Opened,
    long PreQueueCount,
    long Tail,
    long Serving,
    ulong ShuffleSeed,
    long OpensAtMs,
    double RatePerSecond);

/// <summary>A fan's record plus the room snapshot it was read with.</summary>
/// <param name="Number">Arrival index (0-based) for <see cref="FanKind.PreQueue"/>, otherwise the place (1-based).</param>
internal readonly record struct FanView(
    FanKind Kind,
    long Number,
    long IssuedAtMs,
    long ExpiresAtMs,
    string? Jti,
    RoomSnapshot Room);

internal enum ClaimOutcome
{
    Admitted,
    NotYet,
    CapFull,
    Gone,
}

internal readonly record struct ClaimResult(ClaimOutcome Outcome, long IssuedAtMs, long ExpiresAtMs, string? Jti);

internal sealed record RoomStats(
    string RoomId,
    string Mode,
    bool Opened,
    long PreQueueCount,
    long QueueLength,
    long Tail,
    long Serving,
    long Admitted,
    long Active,
    long Abandoned);

/// <summary>Live changes to a room; null leaves a field as it is.</summary>
internal sealed record RoomUpdate(double? RatePerSecond, int? MaxActive, RoomMode? Mode, DateTimeOffset? OpensAt, int? PassLifetimeSeconds, long[]? PerformanceIds)
{
    public int? PowDifficulty { get; init; }
}
