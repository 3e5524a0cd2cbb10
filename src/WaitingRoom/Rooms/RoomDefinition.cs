namespace Ticketing.WaitingRoom.Rooms;

internal enum RoomMode
{
    Scheduled,
    Open,
    Paused,
    Passthrough,
    Closed,
}

/// <summary>A room's configuration: what it covers and how fast it admits.</summary>
/// <param name="RatePerSecond">Admission rate; fractional rates (e.g. 100 per minute) are kept exactly via micro-fan credits.</param>
/// <param name="MaxActive">Cap on fans holding an unexpired pass at once; 0 means no cap.</param>
internal sealed record RoomDefinition(
    string Id,
    long[] PerformanceIds,
    double RatePerSecond,
    int MaxActive,
    int PassLifetimeSeconds,
    DateTimeOffset OpensAt,
    RoomMode Mode)
{
    /// <summary>Who may join: signed-in accounts (one place per account; the default) or anyone (a sale without accounts).</summary>
    public RoomIdentity Identity { get; init; } = RoomIdentity.Account;

    // --- admission: inventory-aware admission and health back-off (issue 12) ---

    /// <summary>Fans admitted but not done allowed per seat still available; 0 turns the inventory cap off.</summary>
    public double FansPerAvailableSeat { get; init; }

    /// <summary>The WebApi's p99 latency (ms) above which the rate backs off; 0 = no limit.</summary>
    public int MaxWebApiP99Ms { get; init; }

    /// <summary>The WebApi's error rate (0..1, share of 5xx answers) above which the rate backs off; 0 = no limit.</summary>
    public double MaxWebApiErrorRate { get; init; }

    // --- end admission ---

    /// <summary>Proof of work asked of each new place in line: leading zero bits of SHA-256 (0 = none).</summary>
    public int PowDifficulty { get; init; }
}

/// <summary>How a room knows its fans (see docs/FAN-IDENTITY.md).</summary>
internal enum RoomIdentity
{
    /// <summary>A join carries the WebApi's fan identity; the place and the pass belong to the account.</summary>
    Account,

    /// <summary>A join needs no account; the place belongs to the queue ticket and the pass to the first account that uses it.</summary>
    Anonymous,
}

internal static class RoomIdentities
{
    public static string ToWire(RoomIdentity identity) => identity == RoomIdentity.Anonymous ? "anonymous" : "account";

    public static bool TryParse(string? value, out RoomIdentity identity)
    {
        switch (value)
        {
            case "account":
                identity = RoomIdentity.Account;
                return true;
            case "anonymous":
                identity = RoomIdentity.Anonymous;
                return true;
            default:
                identity = RoomIdentity.Account;
                return false;
        }
    }
}

internal static class RoomModes
{
    public static string ToWire(RoomMode mode) => mode switch
    {
        RoomMode.Scheduled => "scheduled",
        RoomMode.Open => "open",
        RoomMode.Paused => "paused",
        RoomMode.Passthrough => "passthrough",
        _ => "closed",
    };

    public static bool TryParse(string? value, out RoomMode mode)
    {
        switch (value)
        {
            case "scheduled":
                mode = RoomMode.Scheduled;
                return true;
            case "open":
                mode = RoomMode.Open;
                return true;
            case "paused":
                mode = RoomMode.Paused;
                return true;
            case "passthrough":
                mode = RoomMode.Passthrough;
                return true;
            case "closed":
                mode = RoomMode.Closed;
                return true;
            default:
                mode = RoomMode.Closed;
                return false;
        }
    }
}

internal static class RoomIds
{
    /// <summary>
    /// Room ids are short slugs so that they are safe in Redis keys, cookie names and URLs. An id may not start with
    /// <c>pass_</c>: the ticket cookie <c>wr_{id}</c> of such a room would be the pass cookie <c>wr_pass_{rest}</c> of another.
    /// </summary>
    public static bool IsValid(string? id)
    {
        if (id is null || id.Length is 0 or > 64 || id.StartsWith("pass_", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
