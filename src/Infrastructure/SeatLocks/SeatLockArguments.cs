using System.Globalization;

namespace Ticketing.Infrastructure.SeatLocks;

/// <summary>Argument checks and value conventions shared by both adapters, so they agree exactly.</summary>
internal static class SeatLockArguments
{
    /// <summary>Value stored for a sold seat: <c>sold:{holdId}</c>.</summary>
    internal const string SoldPrefix = "sold:";

    /// <summary>Longest hold accepted; a sold seat has no expiry at all.</summary>
    internal static readonly TimeSpan MaxTtl = TimeSpan.FromDays(7);

    /// <summary>Separates a held seat's hold id from its holder's deadline: <c>{holdId}|{deadline in Unix ms}</c>.</summary>
    internal const char DeadlineSeparator = '|';

    internal static void Check(IReadOnlyList<long> seatIds, string holdId)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        ArgumentException.ThrowIfNullOrEmpty(holdId);
        if (holdId.StartsWith(SoldPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A hold id must not start with '{SoldPrefix}': that prefix marks sold seats.", nameof(holdId));
        }

        if (holdId.Contains(DeadlineSeparator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A hold id must not contain '{DeadlineSeparator}': it separates the holder's deadline.", nameof(holdId));
        }
    }

    /// <summary>
    /// The stored value of a held seat: the hold id and its deadline, or the bare hold id when the holder has no
    /// deadline (<see cref="DateTimeOffset.MaxValue"/>): it is then live for as long as the lock lasts.
    /// </summary>
    internal static string HeldValue(string holdId, DateTimeOffset deadline) =>
        deadline == DateTimeOffset.MaxValue
            ? holdId
            : string.Concat(holdId, "|", UnixMilliseconds(deadline).ToString(CultureInfo.InvariantCulture));

    /// <summary>A moment in whole Unix milliseconds, the unit both stores compare deadlines in.</summary>
    internal static long UnixMilliseconds(DateTimeOffset moment) =>
        moment == DateTimeOffset.MaxValue ? long.MaxValue : moment.ToUnixTimeMilliseconds();

    /// <summary>The holder of a stored value: the value without its deadline (a sold marker stays as it is).</summary>
    internal static string HolderOf(string value)
    {
        var separator = value.IndexOf(DeadlineSeparator, StringComparison.Ordinal);
        return separator < 0 ? value : value[..separator];
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
