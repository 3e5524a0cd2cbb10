namespace Ticketing.Infrastructure.SeatLocks;

/// <summary>Where seat locks live.</summary>
public enum SeatLockStore
{
    /// <summary>A dictionary in this process: the embedded default, for one instance only.</summary>
    InProcess,

    /// <summary>Redis (Lua scripts), shared by every instance.</summary>
    Redis,
}

/// <summary>
/// Settings of the seat-lock adapters, bound from the <c>SeatLocks</c> section; the Redis connection
/// string comes from <c>ConnectionStrings:Redis</c>. Validated as a whole when the host starts.
/// </summary>
public sealed class SeatLockOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "SeatLocks";

    /// <summary>The connection-string name (<c>ConnectionStrings:Redis</c>) used when <see cref="Store"/> is Redis.</summary>
    public const string RedisConnectionStringName = "Redis";

    /// <summary>Which adapter serves <c>ISeatLock</c>; in-process unless configured.</summary>
    public SeatLockStore Store { get; set; } = SeatLockStore.InProcess;

    /// <summary>
    /// Prefix of every Redis key (<c>{prefix}seat:{perf:123}:456</c>), so that environments or tests
    /// can share one Redis. No braces: the hash tag must stay the performance.
    /// </summary>
    public string KeyPrefix { get; set; } = "tk:";

    /// <summary>StackExchange.Redis configuration string; filled from <c>ConnectionStrings:Redis</c>.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>How long one connection attempt to Redis may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one seat-lock command may wait for Redis before the call fails with
    /// <c>SeatLockUnavailableException</c> (the caller answers 503).
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
