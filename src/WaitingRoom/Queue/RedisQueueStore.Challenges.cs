using StackExchange.Redis;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>Used proof-of-work challenges: one key per challenge, set only if absent, expiring with the challenge.</summary>
internal sealed partial class RedisQueueStore
{
    public async ValueTask<bool> UseChallengeAsync(string roomId, string challengeId, long expiresAtMs, long nowMs)
    {
        if (expiresAtMs <= nowMs)
        {
            return false;
        }

        // Same hash tag as the room's other keys; the TTL is relative so clock skew between instances and Redis does not matter.
        var key = keyPrefix + ":{" + roomId + "}:pow:" + challengeId;
        return await Db.StringSetAsync(key, "1", TimeSpan.FromMilliseconds(expiresAtMs - nowMs), When.NotExists).ConfigureAwait(false);
    }
}
