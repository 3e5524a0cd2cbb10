using System.Security.Cryptography;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>Randomness for shuffle seeds and ids; tests substitute a seeded source.</summary>
internal class RandomSource
{
    private const int BatchSize = 64;

    [ThreadStatic]
    private static ulong[]? _batch;

    [ThreadStatic]
    private static int _next;

    /// <summary>
    /// A CSPRNG value for the pre-queue shuffle (used only by the call that opens a room). Drawn from the OS
    /// generator in batches of 64 per thread, so the per-request cost on the hot path is an array read.
    /// </summary>
    public virtual ulong NextSeed()
    {
        var batch = _batch ??= new ulong[BatchSize];
        if (_next == 0)
        {
            RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(batch.AsSpan()));
        }

        var value = batch[_next];
        _next = (_next + 1) % BatchSize;
        return value;
    }

    /// <summary>A uniform value in [0, 1) for poll jitter (not security relevant).</summary>
    public virtual double NextJitter() => Random.Shared.NextDouble();
}
