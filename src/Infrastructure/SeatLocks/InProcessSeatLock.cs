using System.Collections.Concurrent;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.SeatLocks;

/// <summary>
/// <see cref="ISeatLock"/> inside this process: the embedded default for a single instance. It follows
/// the Redis adapter step for step (same conflict report, same sold marker, same expiry rule), so the
/// two pass one contract test suite.
/// </summary>
/// <remarks>
/// One dictionary of seats per performance, guarded by that performance's lock. Expiry is checked
/// lazily on access against the injected <see cref="TimeProvider"/>'s monotonic timestamp (no timers);
/// a hold lasts exactly its ttl. A holder's deadline (an order's deadline, on the caller's clock) is kept beside
/// its value, so the acquire tells taken from lapsed as the Lua script does. Expired entries nobody touches again are swept when a performance's
/// dictionary has doubled since the last sweep.
/// </remarks>
internal sealed class InProcessSeatLock(TimeProvider timeProvider) : ISeatLock
{
    private const long Never = long.MaxValue;
    private const long NoDeadline = long.MaxValue;
    private const int FirstSweepAt = 1024;

    private readonly ConcurrentDictionary<long, Performance> _performances = new();

    public ValueTask<SeatLockResult> TryAcquireAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, DateTimeOffset deadline, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId, ttl);
        cancellationToken.ThrowIfCancellationRequested();
        if (seatIds.Count == 0)
        {
            return ValueTask.FromResult(SeatLockResult.Success);
        }

        var deadlineMs = SeatLockArguments.UnixMilliseconds(deadline);
        var nowMs = SeatLockArguments.UnixMilliseconds(now);
        var performance = _performances.GetOrAdd(performanceId, static _ => new Performance());
        lock (performance.Gate)
        {
            var timestamp = timeProvider.GetTimestamp();
            performance.SweepIfGrown(timestamp);

            // Same steps as the Lua script: read every seat; a holder past its deadline is lapsed, any other
            // (sold, no deadline, deadline ahead) is taken; only when all are free are they set.
            List<long>? taken = null;
            Dictionary<long, string>? lapsed = null;
            foreach (var seatId in seatIds)
            {
                if (!performance.TryGetLive(seatId, timestamp, out var entry))
                {
                    continue;
                }

                if (entry.DeadlineMs <= nowMs)
                {
                    (lapsed ??= [])[seatId] = entry.Value;
                }
                else
                {
                    (taken ??= []).Add(seatId);
                }
            }

            if (taken is not null || lapsed is not null)
            {
                return ValueTask.FromResult(SeatLockResult.Conflict(taken ?? [], lapsed));
            }

            var held = new Entry(holdId, timestamp + ToTimestampTicks(ttl), deadlineMs);
            foreach (var seatId in seatIds)
            {
                performance.Seats[seatId] = held;
            }
        }

        return ValueTask.FromResult(SeatLockResult.Success);
    }

    public ValueTask<int> ReleaseAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId);
        return ReleaseValueAsync(performanceId, seatIds, holdId, cancellationToken);
    }

    public ValueTask<int> ReleaseSoldAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId);
        return ReleaseValueAsync(performanceId, seatIds, SeatLockArguments.SoldPrefix + holdId, cancellationToken);
    }

    private ValueTask<int> ReleaseValueAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (seatIds.Count == 0 || !_performances.TryGetValue(performanceId, out var performance))
        {
            return ValueTask.FromResult(0);
        }

        var released = 0;
        lock (performance.Gate)
        {
            var now = timeProvider.GetTimestamp();
            foreach (var seatId in seatIds)
            {
                if (performance.TryGetLive(seatId, now, out var entry) && entry.Value == holdId)
                {
                    performance.Seats.Remove(seatId);
                    released++;
                }
            }
        }

        return ValueTask.FromResult(released);
    }

    public ValueTask<bool> ExtendAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId, ttl);
        cancellationToken.ThrowIfCancellationRequested();
        if (seatIds.Count == 0)
        {
            return ValueTask.FromResult(true);
        }

        if (!_performances.TryGetValue(performanceId, out var performance))
        {
            return ValueTask.FromResult(false);
        }

        lock (performance.Gate)
        {
            var now = timeProvider.GetTimestamp();
            if (!performance.AllLiveWith(seatIds, now, holdId, alsoAccept: null))
            {
                return ValueTask.FromResult(false);
            }

            // An extended hold has no deadline of its own any more: live for the whole new ttl.
            var extended = new Entry(holdId, now + ToTimestampTicks(ttl), NoDeadline);
            foreach (var seatId in seatIds)
            {
                performance.Seats[seatId] = extended;
            }
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> MarkSoldAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId);
        cancellationToken.ThrowIfCancellationRequested();
        if (seatIds.Count == 0)
        {
            return ValueTask.FromResult(true);
        }

        if (!_performances.TryGetValue(performanceId, out var performance))
        {
            return ValueTask.FromResult(false);
        }

        var sold = SeatLockArguments.SoldPrefix + holdId;
        lock (performance.Gate)
        {
            var now = timeProvider.GetTimestamp();
            if (!performance.AllLiveWith(seatIds, now, holdId, alsoAccept: sold))
            {
                return ValueTask.FromResult(false);
            }

            foreach (var seatId in seatIds)
            {
                performance.Seats[seatId] = new Entry(sold, Never, NoDeadline);
            }
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<int> ForgetAsync(long performanceId, IReadOnlyList<long> seatIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (seatIds.Count == 0 || !_performances.TryGetValue(performanceId, out var performance))
        {
            return ValueTask.FromResult(0);
        }

        var forgotten = 0;
        lock (performance.Gate)
        {
            var now = timeProvider.GetTimestamp();
            foreach (var seatId in seatIds)
            {
                // Counted like Redis's DEL: only what was still live; an expired entry goes without counting.
                if (performance.TryGetLive(seatId, now, out _))
                {
                    performance.Seats.Remove(seatId);
                    forgotten++;
                }
            }
        }

        return ValueTask.FromResult(forgotten);
    }

    public ValueTask<IReadOnlyDictionary<long, string>> GetHoldersAsync(long performanceId, IReadOnlyList<long> seatIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        cancellationToken.ThrowIfCancellationRequested();
        var holders = new Dictionary<long, string>();
        if (seatIds.Count == 0 || !_performances.TryGetValue(performanceId, out var performance))
        {
            return ValueTask.FromResult<IReadOnlyDictionary<long, string>>(holders);
        }

        lock (performance.Gate)
        {
            var now = timeProvider.GetTimestamp();
            foreach (var seatId in seatIds)
            {
                if (performance.TryGetLive(seatId, now, out var entry))
                {
                    holders[seatId] = entry.Value;
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<long, string>>(holders);
    }

    private long ToTimestampTicks(TimeSpan ttl) =>
        (long)((Int128)ttl.Ticks * timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond);

    /// <summary>
    /// A seat's value (<c>holdId</c> or <c>sold:{holdId}</c>), the timestamp it expires at, and its holder's deadline
    /// in Unix ms (<see cref="NoDeadline"/> for sold seats and holders live for the whole ttl).
    /// </summary>
    private readonly record struct Entry(string Value, long ExpiresAt, long DeadlineMs);

    private sealed class Performance
    {
        public Lock Gate { get; } = new();

        public Dictionary<long, Entry> Seats { get; } = [];

        private int _sweepAt = FirstSweepAt;

        /// <summary>The seat's live entry; an expired one is removed on the way.</summary>
        public bool TryGetLive(long seatId, long now, out Entry entry)
        {
            if (!Seats.TryGetValue(seatId, out entry))
            {
                return false;
            }

            if (now < entry.ExpiresAt)
            {
                return true;
            }

            Seats.Remove(seatId);
            return false;
        }

        public bool AllLiveWith(IReadOnlyList<long> seatIds, long now, string value, string? alsoAccept)
        {
            foreach (var seatId in seatIds)
            {
                if (!TryGetLive(seatId, now, out var entry) || (entry.Value != value && entry.Value != alsoAccept))
                {
                    return false;
                }
            }

            return true;
        }

        public void SweepIfGrown(long now)
        {
            if (Seats.Count < _sweepAt)
            {
                return;
            }

            foreach (var (seatId, entry) in Seats)
            {
                if (now >= entry.ExpiresAt)
                {
                    Seats.Remove(seatId);
                }
            }

            _sweepAt = Math.Max(FirstSweepAt, Seats.Count * 2);
        }
    }
}
