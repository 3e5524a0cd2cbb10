using StackExchange.Redis;

namespace Ticketing.WaitingRoom.Admission;

/// <summary>Who runs the admission controller this second: one WaitingRoom instance at a time.</summary>
internal interface IControllerLease
{
    /// <summary>Takes or renews the lease for <paramref name="duration"/>; false while another instance holds it.</summary>
    Task<bool> TryAcquireAsync(TimeSpan duration);
}

/// <summary>The embedded default runs one instance: it always holds the lease.</summary>
internal sealed class InProcessControllerLease : IControllerLease
{
    public Task<bool> TryAcquireAsync(TimeSpan duration) => Task.FromResult(true);
}

/// <summary>
/// A Redis key with an expiry, owned by this instance's random id: taken with <c>SET NX PX</c>, renewed by its owner
/// each run. An owner that stops renewing (crashed, stopped, cut off) loses it after <c>LeaseSeconds</c>, and the next
/// instance to run takes it. Redis's own clock times the lease, so the instances' clocks need not agree.
/// </summary>
internal sealed class RedisControllerLease(IConnectionMultiplexer redis, string key = "wr:controller-lease") : IControllerLease
{
    private const string Script = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    public string OwnerId { get; } = Guid.NewGuid().ToString("N");

    public async Task<bool> TryAcquireAsync(TimeSpan duration)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Script, [key], [OwnerId, (long)duration.TotalMilliseconds]).ConfigureAwait(false);
        return (long)result == 1;
    }
}
