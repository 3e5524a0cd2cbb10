namespace Ticketing.Infrastructure.SeatChanges;

/// <summary>
/// Gives a batch of a performance its version and carries it to the <see cref="SeatChangeHub"/> of every instance,
/// in version order. In process by default; over Redis pub/sub when the seat locks are in Redis.
/// </summary>
internal interface ISeatChangeBus
{
    /// <summary>Starts receiving (Redis: subscribes). Called once when the host starts.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Assigns the next version of the performance and publishes the batch (<c>null</c> changes: a reload) in one atomic step.</summary>
    Task PublishAsync(long performanceId, SeatChangeBatch batch, CancellationToken cancellationToken);

    /// <summary>The newest version assigned for the performance (0 before the first).</summary>
    ValueTask<long> GetVersionAsync(long performanceId, CancellationToken cancellationToken);
}

/// <summary>What one event carries: seat id and status index pairs, or nothing for a reload.</summary>
internal sealed record SeatChangeBatch(long[]? SeatIds, byte[]? Statuses)
{
    public static readonly SeatChangeBatch Reload = new(null, null);

    public bool IsReload => SeatIds is null;

    /// <summary>The compact wire form of the changes, as the stream's <c>changes</c> array: <c>[[seatId,status],...]</c>.</summary>
    public string ToJsonArray()
    {
        var text = new System.Text.StringBuilder(2 + ((SeatIds?.Length ?? 0) * 12));
        text.Append('[');
        for (var i = 0; i < (SeatIds?.Length ?? 0); i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append('[').Append(SeatIds![i].ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                .Append(Statuses![i].ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
        }

        return text.Append(']').ToString();
    }

    /// <summary>Reads <see cref="ToJsonArray"/>'s form back.</summary>
    public static SeatChangeBatch FromJsonArray(ReadOnlySpan<char> json)
    {
        var ids = new List<long>();
        var statuses = new List<byte>();
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json.ToArray()));
        reader.Read();
        while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.StartArray)
        {
            reader.Read();
            ids.Add(reader.GetInt64());
            reader.Read();
            statuses.Add(reader.GetByte());
            reader.Read();
        }

        return new SeatChangeBatch([.. ids], [.. statuses]);
    }
}

/// <summary>The default: one instance, versions counted in memory, delivered straight to the hub.</summary>
internal sealed class InProcessSeatChangeBus(SeatChangeHub hub) : ISeatChangeBus
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _versions = new();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PublishAsync(long performanceId, SeatChangeBatch batch, CancellationToken cancellationToken)
    {
        // One publisher (the feed's loop), so versions reach the hub in order.
        var version = _versions.AddOrUpdate(performanceId, 1, (_, v) => v + 1);
        hub.Deliver(performanceId, version, batch);
        return Task.CompletedTask;
    }

    public ValueTask<long> GetVersionAsync(long performanceId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_versions.TryGetValue(performanceId, out var v) ? v : 0);
}
