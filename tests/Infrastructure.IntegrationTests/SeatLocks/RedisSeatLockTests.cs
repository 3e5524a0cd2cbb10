using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.IntegrationTests.Redis;
using Ticketing.Infrastructure.SeatLocks;

namespace Ticketing.Infrastructure.IntegrationTests.SeatLocks;

/// <summary>The seat-lock contract on a real redis-server, plus what only Redis can do (outages, keys, script cache).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSeatLockTests : SeatLockContract, IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ExpiryWaitLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RecoveryWaitLimit = TimeSpan.FromSeconds(30);

    private readonly RedisServerFixture _server;
    private readonly string _keyPrefix = $"t{Guid.NewGuid():N}:";
    private readonly List<IDisposable> _disposables = [];
    private readonly RedisSeatLock _seatLock;
    private ConnectionMultiplexer? _raw;

    public RedisSeatLockTests(RedisServerFixture server)
    {
        _server = server;
        _server.Start(); // a previous outage test may have left it stopped on failure
        _seatLock = CreateSeatLock(operationTimeout: TimeSpan.FromSeconds(5), connectTimeout: TimeSpan.FromSeconds(5));
    }

    protected override ISeatLock SeatLock => _seatLock;

    protected override TimeSpan ShortTtl => TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Sets a marker key with the same PX after the seats were written and polls until Redis has expired
    /// it: by then Redis's own clock has passed every earlier key's deadline of that ttl.
    /// </summary>
    protected override async Task LetTimePassAsync(TimeSpan ttl)
    {
        var database = Raw().GetDatabase();
        var marker = _keyPrefix + "marker:" + Guid.NewGuid().ToString("N");
        Assert.True(await database.StringSetAsync(marker, "1", ttl));
        await PollUntilAsync(async () => !await database.KeyExistsAsync(marker), ExpiryWaitLimit, "the marker key to expire");
    }

    [Fact]
    public async Task Seat_keys_carry_the_prefix_and_the_performance_hash_tag()
    {
        var hold = NewHoldId();
        var database = Raw().GetDatabase();
        var key = _keyPrefix + "seat:{perf:123}:456";
        Assert.Equal(key, RedisSeatLock.SeatKey(_keyPrefix, 123, 456));

        Assert.True((await _seatLock.TryAcquireAsync(123, [456], hold, LongTtl)).Acquired);

        Assert.Equal(hold, (string?)await database.StringGetAsync(key));
        var ttl = await database.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(4), LongTtl);

        Assert.True(await _seatLock.MarkSoldAsync(123, [456], hold));
        Assert.Equal("sold:" + hold, (string?)await database.StringGetAsync(key));
        Assert.Null(await database.KeyTimeToLiveAsync(key));
    }

    [Fact]
    public async Task A_held_seat_stores_its_holders_deadline_in_unix_milliseconds_beside_the_hold_id()
    {
        var hold = NewHoldId();
        var database = Raw().GetDatabase();
        var performance = NewPerformanceId();
        var deadline = new DateTimeOffset(2026, 12, 1, 12, 10, 0, 123, TimeSpan.Zero);

        Assert.True((await _seatLock.TryAcquireAsync(performance, [9], hold, deadline, LongTtl, deadline - TimeSpan.FromMinutes(10))).Acquired);

        Assert.Equal($"{hold}|{deadline.ToUnixTimeMilliseconds()}", (string?)await database.StringGetAsync(RedisSeatLock.SeatKey(_keyPrefix, performance, 9)));
        Assert.Equal(hold, (await _seatLock.GetHoldersAsync(performance, [9]))[9]);
    }

    [Fact]
    public async Task Scripts_run_by_hash_and_come_back_after_the_script_cache_is_flushed()
    {
        var server = Raw().GetServer(_server.ConnectionString);
        var performance = NewPerformanceId();
        var hold = NewHoldId();
        Assert.True((await _seatLock.TryAcquireAsync(performance, [1], hold, LongTtl)).Acquired);
        var (evalBefore, evalShaBefore) = await ScriptCallsAsync(server);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(await _seatLock.ExtendAsync(performance, [1], hold, LongTtl));
        }

        var (evalAfter, evalShaAfter) = await ScriptCallsAsync(server);
        Assert.Equal(evalBefore, evalAfter);
        Assert.True(evalShaAfter - evalShaBefore >= 5, $"EVALSHA calls went from {evalShaBefore} to {evalShaAfter}");

        await server.ScriptFlushAsync();
        Assert.True(await _seatLock.ExtendAsync(performance, [1], hold, LongTtl));
        Assert.Equal(1, await _seatLock.ReleaseAsync(performance, [1], hold));
    }

    [Fact]
    public async Task Redis_down_fails_closed_and_the_lock_works_again_once_it_is_back()
    {
        var seatLock = CreateSeatLock(operationTimeout: TimeSpan.FromSeconds(2), connectTimeout: TimeSpan.FromSeconds(5));
        var performance = NewPerformanceId();
        var before = NewHoldId();
        Assert.True((await seatLock.TryAcquireAsync(performance, [1], before, LongTtl)).Acquired);

        _server.Stop();
        try
        {
            await Assert.ThrowsAsync<SeatLockUnavailableException>(() => seatLock.TryAcquireAsync(performance, [2, 3], NewHoldId(), LongTtl).AsTask());
            await Assert.ThrowsAsync<SeatLockUnavailableException>(() => seatLock.ReleaseAsync(performance, [1], before).AsTask());
            await Assert.ThrowsAsync<SeatLockUnavailableException>(() => seatLock.GetHoldersAsync(performance, [1]).AsTask());
        }
        finally
        {
            _server.Start();
        }

        // The restarted server is empty (no persistence) and has no scripts loaded.
        var hold = NewHoldId();
        await PollUntilAsync(async () => await TryAcquireIgnoringOutageAsync(seatLock, performance, [2, 3], hold), RecoveryWaitLimit, "the lock to work after the restart");
        var conflict = await seatLock.TryAcquireAsync(performance, [3, 4], NewHoldId(), LongTtl);
        Assert.Equal([3], conflict.TakenSeatIds);
        Assert.Equal(2, await seatLock.ReleaseAsync(performance, [2, 3], hold));
    }

    [Fact]
    public async Task A_service_started_while_redis_is_down_fails_closed_then_recovers()
    {
        _server.Stop();
        var seatLock = CreateSeatLock(operationTimeout: TimeSpan.FromMilliseconds(500));
        var performance = NewPerformanceId();
        var hold = NewHoldId();
        try
        {
            var elapsed = Stopwatch.StartNew();
            await Assert.ThrowsAsync<SeatLockUnavailableException>(() => seatLock.TryAcquireAsync(performance, [1], hold, LongTtl).AsTask());
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"failing closed took {elapsed.Elapsed}");
        }
        finally
        {
            _server.Start();
        }

        await PollUntilAsync(async () => await TryAcquireIgnoringOutageAsync(seatLock, performance, [1], hold), RecoveryWaitLimit, "the lock to connect once Redis is up");
        Assert.Equal(hold, (await seatLock.GetHoldersAsync(performance, [1]))[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_acquire_whose_answer_times_out_leaves_no_seat_held_once_redis_catches_up(bool scriptCacheFlushed)
    {
        var seatLock = CreateSeatLock(operationTimeout: TimeSpan.FromMilliseconds(200), connectTimeout: TimeSpan.FromSeconds(5));
        var performance = NewPerformanceId();

        // Warm up (JIT, scripts loaded, the short-timeout lock connected) with generous waits first.
        var warmUp = NewHoldId();
        Assert.True((await _seatLock.TryAcquireAsync(performance, [9], warmUp, LongTtl)).Acquired);
        Assert.Equal(1, await _seatLock.ReleaseAsync(performance, [9], warmUp));
        await PollUntilAsync(async () => await TryGetHoldersIgnoringOutageAsync(seatLock, performance, [9]) is not null, RecoveryWaitLimit, "the short-timeout lock to connect");
        var server = Raw().GetServer(_server.ConnectionString);
        if (scriptCacheFlushed)
        {
            await server.ScriptFlushAsync();
        }


        // Redis holds every script for a second: the acquire is sent but its answer comes too late.
        await Raw().GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "1000", "WRITE");
        await Assert.ThrowsAsync<SeatLockUnavailableException>(() => seatLock.TryAcquireAsync(performance, [1, 2], NewHoldId(), LongTtl).AsTask());

        // Commands on one connection run in order: once a read behind the acquire answers, the late
        // acquire has run (or failed NOSCRIPT), and so has the compensating release queued after it.
        IReadOnlyDictionary<long, string>? holders = null;
        await PollUntilAsync(async () => (holders = await TryGetHoldersIgnoringOutageAsync(seatLock, performance, [1, 2])) is not null, RecoveryWaitLimit, "Redis to answer after the pause");
        Assert.Empty(holders!);

        // A late NOSCRIPT fallback (sent when the NOSCRIPT reply came, after the caller had given up)
        // would be on the wire before this second read: it must not have taken the seats.
        Assert.Empty(await seatLock.GetHoldersAsync(performance, [1, 2]));
    }

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _raw?.Dispose();
    }

    /// <remarks>The machine may be busy (other test runs): only outage tests use a short connect timeout.</remarks>
    private RedisSeatLock CreateSeatLock(TimeSpan operationTimeout, TimeSpan? connectTimeout = null)
    {
        var options = Options.Create(new SeatLockOptions
        {
            Store = SeatLockStore.Redis,
            KeyPrefix = _keyPrefix,
            RedisConnectionString = _server.ConnectionString,
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(1),
            OperationTimeout = operationTimeout,
        });
        var connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance);
        _disposables.Add(connection);
        return new RedisSeatLock(connection, options, NullLogger<RedisSeatLock>.Instance);
    }

    private ConnectionMultiplexer Raw() =>
        _raw ??= ConnectionMultiplexer.Connect(new ConfigurationOptions
        {
            EndPoints = { _server.ConnectionString },
            AllowAdmin = true,
            ConnectTimeout = 5000,
            SyncTimeout = 5000,
        });

    private static async Task<bool> TryAcquireIgnoringOutageAsync(ISeatLock seatLock, long performance, IReadOnlyList<long> seats, string hold)
    {
        try
        {
            var result = await seatLock.TryAcquireAsync(performance, seats, hold, LongTtl);
            Assert.True(result.Acquired, $"taken after restart: [{string.Join(", ", result.TakenSeatIds)}]");
            return true;
        }
        catch (SeatLockUnavailableException)
        {
            return false; // still reconnecting: poll again
        }
    }

    private static async Task<IReadOnlyDictionary<long, string>?> TryGetHoldersIgnoringOutageAsync(ISeatLock seatLock, long performance, IReadOnlyList<long> seats)
    {
        try
        {
            return await seatLock.GetHoldersAsync(performance, seats);
        }
        catch (SeatLockUnavailableException)
        {
            return null; // not answering yet: poll again
        }
    }

    private static async Task<(long Eval, long EvalSha)> ScriptCallsAsync(IServer server)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(group => group).ToDictionary(p => p.Key, p => p.Value);
        return (Calls(stats, "cmdstat_eval"), Calls(stats, "cmdstat_evalsha"));

        static long Calls(Dictionary<string, string> stats, string command) =>
            stats.TryGetValue(command, out var value)
                ? long.Parse(value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture)
                : 0;
    }

    private static async Task PollUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(elapsed.Elapsed < limit, $"waited {limit} for {what}");
            await Task.Delay(PollInterval);
        }
    }
}
