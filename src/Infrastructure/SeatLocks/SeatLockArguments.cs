namespace Ticketing.Infrastructure.SeatLocks;

/// <summary>Argument checks and value conventions shared by both adapters, so they agree exactly.</summary>
internal static class SeatLockArguments
{
    /// <summary>Value stored for a sold seat: <c>sold:{holdId}</c>.</summary>
    internal const string SoldPrefix = "sold:";

    /// <summary>Longest hold accepted; a sold seat has no expiry at all.</summary>
    internal static readonly TimeSpan MaxTtl = TimeSpan.FromDays(7);

    internal static void Check(IReadOnlyList<long> seatIds, string holdId)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        ArgumentException.ThrowIfNullOrEmpty(holdId);
        if (holdId.StartsWith(SoldPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A hold id must not start with '{SoldPrefix}': that prefix marks sold seats.", nameof(holdId));
        }
    }

    internal static void Check(IReadOnlyList<long> seatIds, string holdId, TimeSpan ttl)
    {
        Check(seatIds, holdId);
        if (ttl <= TimeSpan.Zero || ttl > MaxTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"A hold lasts more than zero and at most {MaxTtl}.");
        }
    }
}
