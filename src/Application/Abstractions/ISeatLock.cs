namespace Ticketing.Application.Abstractions;

/// <summary>
/// The fast, shared lock on seats of a performance (Redis in production, in-process by default).
/// The database stays the guarantee against double sale; this port keeps the crowd away from it.
/// </summary>
public interface ISeatLock
{
    /// <summary>
    /// Locks every seat for <paramref name="holdId"/> for <paramref name="ttl"/>, or none of them.
    /// On conflict nothing stays locked by this call and the seats held by someone else are reported.
    /// </summary>
    /// <exception cref="SeatLockUnavailableException">The lock store cannot be reached; nothing was locked.</exception>
    ValueTask<SeatLockResult> TryAcquireAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Frees the seats that are still locked by <paramref name="holdId"/>; returns how many were freed.</summary>
    ValueTask<int> ReleaseAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default);

    /// <summary>Extends the seats still locked by <paramref name="holdId"/>; true only when every seat was still its own.</summary>
    ValueTask<bool> ExtendAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Turns the seats locked by <paramref name="holdId"/> into sold seats that never expire; true when every seat was its own.</summary>
    ValueTask<bool> MarkSoldAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default);

    /// <summary>Who holds each of the given seats now (seats nobody holds are absent).</summary>
    ValueTask<IReadOnlyDictionary<long, string>> GetHoldersAsync(long performanceId, IReadOnlyList<long> seatIds, CancellationToken cancellationToken = default);
}

/// <summary>Outcome of <see cref="ISeatLock.TryAcquireAsync"/>.</summary>
public readonly record struct SeatLockResult(bool Acquired, IReadOnlyList<long> TakenSeatIds)
{
    public static SeatLockResult Success { get; } = new(true, []);

    public static SeatLockResult Conflict(IReadOnlyList<long> takenSeatIds) => new(false, takenSeatIds);
}

/// <summary>The lock store is unreachable: callers fail closed (503), never open.</summary>
public sealed class SeatLockUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
