using System.Security.Cryptography;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>Randomness for shuffle seeds and ids; tests substitute a seeded source.</summary>
internal class RandomSource
{
    public virtual ulong NextSeed()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    /// <summary>A uniform value in [0, 1) for poll jitter (not security relevant).</summary>
    public virtual double NextJitter() => Random.Shared.NextDouble();
}
