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
    /// <summary>Proof of work asked of each new place in line: leading zero bits of SHA-256 (0 = none).</summary>
    public int PowDifficulty { get; init; }
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
