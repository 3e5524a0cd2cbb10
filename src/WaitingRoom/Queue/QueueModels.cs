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
    double RatePerSecond,
    bool SoldOut = false);

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
    long Abandoned)
{
    // --- admission: why the room paces, and the inventory facts it paces by (issue 12) ---

    /// <summary><c>rate</c>, <c>inventory</c> (the seats-left cap, or sold out) or <c>health</c> (the WebApi's p99 or error rate).</summary>
    public string Pacing { get; init; } = AdmissionPacing.Rate;

    public bool SoldOut { get; init; }

    /// <summary>Most fans admitted but not done now allowed by the seats left; null when off or unknown.</summary>
    public long? InventoryCap { get; init; }

    public long? SeatsAvailable { get; init; }

    public long? SeatsHeld { get; init; }

    /// <summary>Share of the set rate admitted now (1 = full rate; less while the WebApi is unhealthy).</summary>
    public double RateFactor { get; init; } = 1;

    public double? WebApiP99Ms { get; init; }

    public double? WebApiErrorRate { get; init; }

    /// <summary>When the controller last wrote the inventory facts; null when never or stale.</summary>
    public DateTimeOffset? InventoryAt { get; init; }

    // --- end admission ---
}

/// <summary>Live changes to a room; null leaves a field as it is.</summary>
internal sealed record RoomUpdate(double? RatePerSecond, int? MaxActive, RoomMode? Mode, DateTimeOffset? OpensAt, int? PassLifetimeSeconds, long[]? PerformanceIds)
{
    public int? PowDifficulty { get; init; }

    // --- admission (issue 12) ---
    public double? FansPerAvailableSeat { get; init; }

    public int? MaxWebApiP99Ms { get; init; }

    public double? MaxWebApiErrorRate { get; init; }

    /// <summary>Applies the admission settings of this update to <paramref name="d"/>.</summary>
    public RoomDefinition ApplyAdmission(RoomDefinition d) => d with
    {
        FansPerAvailableSeat = FansPerAvailableSeat ?? d.FansPerAvailableSeat,
        MaxWebApiP99Ms = MaxWebApiP99Ms ?? d.MaxWebApiP99Ms,
        MaxWebApiErrorRate = MaxWebApiErrorRate ?? d.MaxWebApiErrorRate,
    };

    // --- end admission ---
}
