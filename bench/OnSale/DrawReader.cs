using System.Globalization;
using StackExchange.Redis;
using Ticketing.WaitingRoom.Queue;

namespace Ticketing.OnSale;

/// <summary>
/// Learns the pre-queue draw from the queue store itself, not from what fans were told: each fan's arrival index
/// (read just before the opening, while every record is still <c>P{index}</c>) and the seed and count frozen at the
/// opening, put through the WaitingRoom's own permutation. The places the fans were told are checked against it.
/// </summary>
internal sealed class DrawReader(string redis, string roomId)
{
    private readonly Dictionary<string, long> _arrival = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _place = new(StringComparer.Ordinal);

    /// <summary>Fans in the pre-queue at the opening (the draw's size).</summary>
    public long Count { get; private set; }

    /// <summary>Fans whose record had already left the pre-queue form when read (joined too late to be read first).</summary>
    public int ReadLate { get; private set; }

    public async Task ReadArrivalsAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        foreach (var entry in await connection.GetDatabase().HashGetAllAsync(Key("fans")))
        {
            var record = (string)entry.Value!;
            if (record.StartsWith('P'))
            {
                _arrival[(string)entry.Name!] = long.Parse(record[1..record.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }
    }

    public async Task ReadDrawAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var db = connection.GetDatabase();
        var state = await db.HashGetAsync(Key("st"), ["opened", "pre", "seed"]);
        if ((string?)state[0] != "1")
        {
            throw new InvalidOperationException("the room had not opened 1.5 s after its opening time");
        }

        Count = long.Parse((string)state[1]!, CultureInfo.InvariantCulture);
        var seed = ulong.Parse((string)state[2]!, CultureInfo.InvariantCulture);
        foreach (var (fan, index) in _arrival)
        {
            _place[fan] = PreQueueShuffle.PlaceOf(index, Count, seed);
        }

        // A join answered after the first read but before the opening: its record is read now, in whatever form.
        foreach (var entry in await db.HashGetAllAsync(Key("fans")))
        {
            var fan = (string)entry.Name!;
            var record = (string)entry.Value!;
            if (_place.ContainsKey(fan))
            {
                continue;
            }

            ReadLate++;
            var number = long.Parse(record[1..record.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            if (record[0] == 'P')
            {
                _place[fan] = PreQueueShuffle.PlaceOf(number, Count, seed);
            }
            else if (record[0] == 'Q')
            {
                _place[fan] = number;
            }
        }
    }

    /// <summary>The fan's place in the draw (0: unknown).</summary>
    public long PlaceOf(string? ticketId) => ticketId is not null && _place.TryGetValue(ticketId, out var place) ? place : 0;

    public IEnumerable<long> Places => _place.Values;

    private string Key(string part) => "wr:{" + roomId + "}:" + part;
}
