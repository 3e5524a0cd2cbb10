using System.Collections.Concurrent;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>Used proof-of-work challenges, each kept until it expires (then a replay fails its expiry check anyway).</summary>
internal sealed partial class InProcessQueueStore
{
    private readonly ConcurrentDictionary<string, long> _usedChallenges = new(StringComparer.Ordinal);
    private long _nextChallengeSweepMs;

    public ValueTask<bool> UseChallengeAsync(string roomId, string challengeId, long expiresAtMs, long nowMs)
    {
        if (expiresAtMs <= nowMs)
        {
            return ValueTask.FromResult(false);
        }

        SweepChallenges(nowMs);
        return ValueTask.FromResult(_usedChallenges.TryAdd(roomId + "\n" + challengeId, expiresAtMs));
    }

    /// <summary>At most once a second, forgets challenges that expired (every entry cost a solved challenge, so the map stays small).</summary>
    private void SweepChallenges(long nowMs)
    {
        var next = Interlocked.Read(ref _nextChallengeSweepMs);
        if (nowMs < next || Interlocked.CompareExchange(ref _nextChallengeSweepMs, nowMs + 1000, next) != next)
        {
            return;
        }

        foreach (var pair in _usedChallenges)
        {
            if (pair.Value <= nowMs)
            {
                _usedChallenges.TryRemove(pair);
            }
        }
    }
}
