using Ticketing.Application.Catalog;

namespace Ticketing.Application.Abstractions;

/// <summary>
/// The live seat map's change feed: seats whose status changed, published after the change was committed, and the
/// feed's version per performance.
/// </summary>
public interface ISeatChangeFeed
{
    /// <summary>
    /// Queues committed seat changes for the listeners of a performance. Never blocks and never throws: when the
    /// feed's buffer is full the changes are dropped and the performance's listeners are told to reload the map.
    /// </summary>
    void Publish(long performanceId, IReadOnlyList<SeatChange> changes);

    /// <summary>
    /// The version of the newest change event of a performance (0 before the first). Read it before reading
    /// statuses: every change with a greater version is then one the reader may still have to apply.
    /// </summary>
    ValueTask<long> GetVersionAsync(long performanceId, CancellationToken cancellationToken);
}

/// <summary>A seat and the status it has now.</summary>
public readonly record struct SeatChange(long SeatId, SeatStatus Status);
