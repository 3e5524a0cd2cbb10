namespace Ticketing.Application.Abstractions;

/// <summary>
/// The fast, shared lock on seats of a performance (Redis in production, in-process by default).
/// The database stays the guarantee against double sale; this port keeps the crowd away from it.
/// </summary>
public interface ISeatLock
{
    /// <summary>
    /// Locks every seat for <paramref name="holdId"/> for <paramref name="ttl"/>, or none of them. The holder is live
    /// until <paramref name="deadline"/> (its order's deadline), judged against the caller's <paramref name="now"/>;
    /// after that its seats stay locked until the ttl ends but read as lapsed, not taken.
    /// </summary>
    /// <remarks>
    /// <para>One atomic step decides, seat by seat: free; taken (sold, or a holder still before its deadline); or
    /// lapsed (a holder past its deadline, whose order may still have to be closed). Only when every seat is free is
    /// anything locked. Otherwise nothing changes and the result tells the taken seats from the lapsed ones (with
    /// their holders), so a caller answers a live conflict without asking anyone else, and reclaims only lapsed
    /// holds.</para>
    /// <para>A seat already held by the same <paramref name="holdId"/> (or sold) counts as taken; the existing
    /// hold is left as it was. An empty list succeeds and locks nothing. A hold id must not start with
    /// <c>sold:</c> nor contain <c>|</c>. When the store does not answer in time the call throws and, for Redis,
    /// queues a release for this hold id behind the attempt, so a 503 does not leave seats held.</para>
    /// </remarks>
    /// <exception cref="SeatLockUnavailableException">The lock store cannot be reached; nothing was locked.</exception>
    ValueTask<SeatLockResult> TryAcquireAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, DateTimeOffset deadline, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Frees the seats that are still locked by <paramref name="holdId"/>; returns how many were freed.</summary>
    /// <remarks>Seats of other holds and sold seats are left alone; calling it again is harmless.</remarks>
    ValueTask<int> ReleaseAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default);

    /// <summary>Extends the seats still locked by <paramref name="holdId"/>; true only when every seat was still its own.</summary>
    /// <remarks>
    /// All or nothing: when any seat is not the hold's own (expired, someone else's, sold), no seat is extended. An
    /// extended hold has no deadline of its own any more: it is live (taken) for as long as its new ttl lasts.
    /// </remarks>
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
/// <param name="Acquired">Every seat is now locked for the hold.</param>
/// <param name="TakenSeatIds">Seats sold or held by a live holder: a plain conflict.</param>
/// <param name="LapsedHolders">Seats whose holder is past its deadline, with that holder's hold id.</param>
public readonly record struct SeatLockResult(bool Acquired, IReadOnlyList<long> TakenSeatIds, IReadOnlyDictionary<long, string> LapsedHolders)
{
    private static readonly IReadOnlyDictionary<long, string> NoLapsed = new Dictionary<long, string>();

    public static SeatLockResult Success { get; } = new(true, [], NoLapsed);

    /// <summary>Nothing was locked: some seats are taken, others (maybe none) lapsed.</summary>
    public static SeatLockResult Conflict(IReadOnlyList<long> takenSeatIds, IReadOnlyDictionary<long, string>? lapsedHolders = null) =>
        new(false, takenSeatIds, lapsedHolders ?? NoLapsed);

    /// <summary>Nothing was locked, yet only lapsed holders were in the way: reclaiming them may free every seat.</summary>
    public bool OnlyLapsed => !Acquired && TakenSeatIds.Count == 0 && LapsedHolders.Count > 0;

    /// <summary>Every seat in the way, taken or lapsed, in no particular order.</summary>
    public IReadOnlyList<long> SeatsInTheWay => LapsedHolders.Count == 0 ? TakenSeatIds : [.. TakenSeatIds, .. LapsedHolders.Keys];
}

/// <summary>Calls of <see cref="ISeatLock"/> for a holder without a deadline of its own.</summary>
public static class SeatLockExtensions
{
    /// <summary>Locks the seats for a holder that is live for the whole <paramref name="ttl"/> (it never reads as lapsed).</summary>
    public static ValueTask<SeatLockResult> TryAcquireAsync(this ISeatLock seatLock, long performanceId, IReadOnlyList<long> seatIds, string holdId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seatLock);
        return seatLock.TryAcquireAsync(performanceId, seatIds, holdId, DateTimeOffset.MaxValue, ttl, DateTimeOffset.MinValue, cancellationToken);
    }
}

/// <summary>The lock store is unreachable: callers fail closed (503), never open.</summary>
public sealed class SeatLockUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
