using Ticketing.WaitingRoom.Queue;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>Deterministic randomness so statistical tests cannot flake.</summary>
internal sealed class SeededRandomSource(int seed) : RandomSource
{
    private readonly Random _random = new(seed);
    private readonly Lock _sync = new();

    public override ulong NextSeed()
    {
        lock (_sync)
        {
            return (ulong)_random.NextInt64() ^ ((ulong)_random.Next() << 40);
        }
    }

    public override double NextJitter()
    {
        lock (_sync)
        {
            return _random.NextDouble();
        }
    }
}
