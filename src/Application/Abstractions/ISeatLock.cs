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
    /// <remarks>
    /// A seat already held by the same <paramref name="holdId"/> (or sold) counts as taken; the existing
    /// hold is left as it was. An empty list succeeds and locks nothing. A hold id must not start with
    /// <c>sold:</c>. When the store does not answer in time the call throws and, for Redis, queues a
    /// release for this hold id behind the attempt, so a 503 does not leave seats held.
    /// </remarks>
    /// <exception cref="SeatLockUnavailableException">The lock store cannot be reached; nothing was locked.</exception>
    ValueTask<SeatLockResult> TryAcquireAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Frees the seats that are still locked by <paramref name="holdId"/>; returns how many were freed.</summary>
    /// <remarks>Seats of other holds and sold seats are left alone; calling it again is harmless.</remarks>
    ValueTask<int> ReleaseAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default);

    /// <summary>Extends the seats still locked by <paramref name="holdId"/>; true only when every seat was still its own.</summary>
    /// <remarks>All or nothing: when any seat is not the hold's own (expired, someone else's, sold), no seat is extended.</remarks>
    ValueTask<bool> ExtendAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Turns the seats locked by <paramref name="holdId"/> into sold seats that never expire; true when every seat was its own.</summary>
    /// <remarks>
    /// All or nothing. A sold seat's holder becomes <c>sold:{holdId}</c>; nobody can release, extend or
    /// acquire it afterwards (the database ticket is the lasting record). Seats already sold to the same
    /// hold count as its own, so a retried confirmation returns true.
    /// </remarks>
    ValueTask<bool> MarkSoldAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns seats sold to <paramref name="holdId"/> to sale (a refunded order); returns how many were freed.
    /// </summary>
    /// <remarks>
    /// Compare-and-delete on <c>sold:{holdId}</c>: held seats, and seats sold to other holds, are left alone;
    /// calling it again is harmless. The caller has already made the database's tickets and lines not live.
    /// </remarks>
    ValueTask<int> ReleaseSoldAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the given seats of a performance that is over: every lock on them, held or sold, is deleted; returns
    /// how many were. Sold markers never expire on their own, so without this they would be kept forever.
    /// </summary>
    /// <remarks>Only for a performance whose sales have closed: the database's tickets stay the lasting record. Calling it again is harmless.</remarks>
    ValueTask<int> ForgetAsync(long performanceId, IReadOnlyList<long> seatIds, CancellationToken cancellationToken = default);

    /// <summary>Who holds each of the given seats now (seats nobody holds are absent).</summary>
    /// <remarks>The value is the hold id, or <c>sold:{holdId}</c> for a sold seat.</remarks>
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
