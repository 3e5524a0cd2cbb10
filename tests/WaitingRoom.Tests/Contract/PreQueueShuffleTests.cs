using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Contract;

public sealed class PreQueueShuffleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(65_537)]
    public void Places_are_a_permutation_of_one_to_count(int count)
    {
        var seen = new bool[count + 1];
        for (var i = 0; i < count; i++)
        {
            var place = PreQueueShuffle.PlaceOf(i, count, 0xDEADBEEFUL);
            Assert.InRange(place, 1, count);
            Assert.False(seen[place], $"place {place} given twice");
            seen[place] = true;
        }
    }

    /// <summary>
    /// Eight fans join before opening; across 4,000 openings (seeded, so the outcome is fixed) each early fan
    /// must be equally likely to get each of the eight places. Chi-square per fan (7 degrees of freedom)
    /// and over the whole table (49) against the 0.1% critical values.
    /// </summary>
    [Fact]
    public void Every_early_fan_is_equally_likely_to_get_any_place()
    {
        const int fans = 8;
        const int runs = 4000;
        var counts = new int[fans, fans];
        var random = new SeededRandomSource(2026);
        var t0 = new DateTimeOffset(2026, 11, 21, 19, 0, 0, TimeSpan.Zero);
        for (var run = 0; run < runs; run++)
        {
            var store = new InProcessQueueStore();
            store.PutRoom(new RoomDefinition("r", [1], 10, 0, 60, t0.AddMinutes(1), RoomMode.Scheduled), t0.ToUnixTimeMilliseconds(), random.NextSeed());
            for (var f = 0; f < fans; f++)
            {
                store.Join("r", "fan" + f, t0.ToUnixTimeMilliseconds() + f, random.NextSeed(), 300_000);
            }

            var opened = t0.AddMinutes(1).ToUnixTimeMilliseconds();
            for (var f = 0; f < fans; f++)
            {
                var view = store.Status("r", "fan" + f, opened, random.NextSeed(), 300_000);
                var place = PreQueueShuffle.PlaceOf(view.Number, view.Room.PreQueueCount, view.Room.ShuffleSeed);
                counts[f, place - 1]++;
            }
        }

        const double expected = (double)runs / fans;
        var total = 0.0;
        for (var f = 0; f < fans; f++)
        {
            var chi = 0.0;
            for (var p = 0; p < fans; p++)
            {
                var d = counts[f, p] - expected;
                chi += d * d / expected;
            }

            Assert.True(chi < 24.32, $"fan {f}: chi-square {chi:F2} >= 24.32 (df 7, p 0.001)");
            total += chi;
        }

        Assert.True(total < 85.35, $"table chi-square {total:F2} >= 85.35 (df 49, p 0.001)");
    }

    [Fact]
    public void The_first_fan_to_arrive_has_no_advantage()
    {
        // 20 early fans, 3,000 openings: the first arrival lands in the first quarter about a quarter of the time.
        var random = new SeededRandomSource(99);
        var front = 0;
        const int runs = 3000;
        for (var run = 0; run < runs; run++)
        {
            if (PreQueueShuffle.PlaceOf(0, 20, random.NextSeed()) <= 5)
            {
                front++;
            }
        }

        Assert.InRange(front, runs * 0.22, runs * 0.28);
    }
}
