namespace Ticketing.WaitingRoom.Queue;

/// <summary>
/// Maps the arrival index of a pre-queue fan to a place drawn at opening, without storing or sorting
/// anything: a keyed pseudo-random permutation of [0, count) (a balanced Feistel network over the next
/// even power of two, restricted to the domain by cycle walking). The key is a random 64-bit seed drawn
/// once, atomically, when the room opens; the count is frozen at that moment. O(1) per fan.
/// </summary>
internal static class PreQueueShuffle
{
    private const int Rounds = 10;

    /// <summary>Returns the 1-based place of the fan that arrived <paramref name="arrivalIndex"/>-th (0-based).</summary>
    public static long PlaceOf(long arrivalIndex, long count, ulong seed)
    {
        if (count <= 1)
        {
            return arrivalIndex + 1;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(arrivalIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(arrivalIndex, count);

        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(count - 1));
        var halfBits = (bits + 1) / 2;
        Span<ulong> keys = stackalloc ulong[Rounds];
        var state = seed;
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = SplitMix(ref state);
        }

        var value = (ulong)arrivalIndex;
        do
        {
            value = Encrypt(value, halfBits, keys);
        }
        while (value >= (ulong)count);

        return (long)value + 1;
    }

    private static ulong Encrypt(ulong value, int halfBits, ReadOnlySpan<ulong> keys)
    {
        var mask = (1UL << halfBits) - 1;
        var left = (value >> halfBits) & mask;
        var right = value & mask;
        foreach (var key in keys)
        {
            var next = left ^ (Mix(key ^ (right * 0x9E3779B97F4A7C15UL)) & mask);
            left = right;
            right = next;
        }

        return (left << halfBits) | right;
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
