using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.SeatLocks;

/// <summary>
/// <see cref="ISeatLock"/> on Redis: each operation is one Lua script over the seat keys of one
/// performance, so it is atomic and, thanks to the <c>{perf:N}</c> hash tag, touches one cluster slot.
/// </summary>
/// <remarks>
/// <para>Key of a seat: <c>{KeyPrefix}seat:{perf:{performanceId}}:{seatId}</c>; value while held (with a PX
/// expiry): <c>{holdId}|{deadline in Unix ms}</c>, or the bare hold id for a holder without a deadline (an
/// extended hold); <c>sold:{holdId}</c> without expiry once sold. The deadline in the value lets the acquire
/// script itself tell a live holder (taken) from a lapsed one, in the same round trip.</para>
/// <para>Scripts run by SHA1 (EVALSHA); after a Redis restart or SCRIPT FLUSH the NOSCRIPT reply makes
/// one call fall back to the script text, which loads it again.</para>
/// <para>Any connection error, timeout, or "server not ready" reply becomes
/// <see cref="SeatLockUnavailableException"/>. A script either ran whole or not at all, so nothing is
/// half-held; when an acquire's outcome is unknown (sent, no answer) a compare-and-delete release for
/// the same hold id is queued behind it, so a hold the caller was told failed does not linger.</para>
/// <para>Cancellation is honoured until the command is sent; after that the call waits at most
/// <see cref="SeatLockOptions.OperationTimeout"/>.</para>
/// </remarks>
internal sealed partial class RedisSeatLock : ISeatLock
{
    // KEYS: seat keys. ARGV[1]: the value to set (the hold id, or 'holdId|deadlineMs'), ARGV[2]: ttl in ms,
    // ARGV[3]: the caller's now in Unix ms. One pass reads every seat: a value with a deadline at or before now is
    // lapsed, any other value (sold, no deadline, deadline ahead) is taken. Only when all are free are they set.
    // Returns {} when set, else { taken indexes, lapsed indexes, lapsed holders } (1-based, in key order).
    private static readonly LuaScriptText AcquireScript = new("""
        local now = tonumber(ARGV[3])
        local taken, lapsed, holders = {}, {}, {}
        for i = 1, #KEYS do
          local value = redis.call('GET', KEYS[i])
          if value then
            local bar = string.find(value, '|', 1, true)
            if bar and tonumber(string.sub(value, bar + 1)) <= now then
              lapsed[#lapsed + 1] = i
              holders[#holders + 1] = string.sub(value, 1, bar - 1)
            else
              taken[#taken + 1] = i
            end
          end
        end
        if #taken > 0 or #lapsed > 0 then return { taken, lapsed, holders } end
        for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
        return {}
        """);

    // Compare-and-delete: frees only the keys the hold id holds (with or without a deadline). Returns how many.
    private static readonly LuaScriptText ReleaseScript = new("""
        local hold, prefix = ARGV[1], ARGV[1] .. '|'
        local released = 0
        for i = 1, #KEYS do
          local value = redis.call('GET', KEYS[i])
          if value == hold or (value and string.sub(value, 1, #prefix) == prefix) then
            redis.call('DEL', KEYS[i])
            released = released + 1
          end
        end
        return released
        """);

    // Compare-and-extend, all or nothing: 1 when every key held the hold id (all extended, now without a
    // deadline: live for the new ttl), else 0.
    private static readonly LuaScriptText ExtendScript = new("""
        local hold, prefix = ARGV[1], ARGV[1] .. '|'
        for i = 1, #KEYS do
          local value = redis.call('GET', KEYS[i])
          if value ~= hold and not (value and string.sub(value, 1, #prefix) == prefix) then return 0 end
        end
        for i = 1, #KEYS do redis.call('SET', KEYS[i], hold, 'PX', ARGV[2]) end
        return 1
        """);

    // Compare-and-set to 'sold:<hold>' without expiry (a plain SET drops the TTL, like PERSIST), all or
    // nothing. A seat already sold to this hold counts as its own, so a retried call succeeds.
    private static readonly LuaScriptText MarkSoldScript = new("""
        local hold, prefix = ARGV[1], ARGV[1] .. '|'
        local sold = 'sold:' .. hold
        for i = 1, #KEYS do
          local value = redis.call('GET', KEYS[i])
          if value ~= hold and value ~= sold and not (value and string.sub(value, 1, #prefix) == prefix) then return 0 end
        end
        for i = 1, #KEYS do redis.call('SET', KEYS[i], sold) end
        return 1
        """);

    private const int ForgetChunk = 1000;

    private static readonly string[] UnavailableReplies = ["LOADING", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN"];

    private readonly RedisConnection _connection;
    private readonly ILogger<RedisSeatLock> _logger;
    private readonly string _keyPrefix;
    private readonly TimeSpan _operationTimeout;

    public RedisSeatLock(RedisConnection connection, IOptions<SeatLockOptions> options, ILogger<RedisSeatLock> logger)
    {
        _connection = connection;
        _logger = logger;
        _keyPrefix = options.Value.KeyPrefix;
        _operationTimeout = options.Value.OperationTimeout;
    }

    public async ValueTask<SeatLockResult> TryAcquireAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, DateTimeOffset deadline, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId, ttl);
        if (seatIds.Count == 0)
        {
            return SeatLockResult.Success;
        }

        var args = new RedisValue[] { SeatLockArguments.HeldValue(holdId, deadline), ToMilliseconds(ttl), SeatLockArguments.UnixMilliseconds(now) };
        var result = await EvaluateAsync(AcquireScript, SeatKeys(performanceId, seatIds), args, "acquire", cancellationToken, compensatingHoldId: holdId).ConfigureAwait(false);
        if (result.Length == 0)
        {
            return SeatLockResult.Success;
        }

        var takenIndexes = (int[])result[0]!;
        var lapsedIndexes = (int[])result[1]!;
        var taken = new long[takenIndexes.Length];
        for (var i = 0; i < takenIndexes.Length; i++)
        {
            taken[i] = seatIds[takenIndexes[i] - 1];
        }

        if (lapsedIndexes.Length == 0)
        {
            return SeatLockResult.Conflict(taken);
        }

        var holders = (string[])result[2]!;
        var lapsed = new Dictionary<long, string>(lapsedIndexes.Length);
        for (var i = 0; i < lapsedIndexes.Length; i++)
        {
            lapsed[seatIds[lapsedIndexes[i] - 1]] = holders[i];
        }

        return SeatLockResult.Conflict(taken, lapsed);
    }

    public async ValueTask<int> ReleaseAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId);
        if (seatIds.Count == 0)
        {
            return 0;
        }

        var result = await EvaluateAsync(ReleaseScript, SeatKeys(performanceId, seatIds), [holdId], "release", cancellationToken).ConfigureAwait(false);
        return (int)result;
    }

    public async ValueTask<int> ReleaseSoldAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId);
        if (seatIds.Count == 0)
        {
            return 0;
        }

        // The same compare-and-delete as a release, on the sold value.
        var result = await EvaluateAsync(ReleaseScript, SeatKeys(performanceId, seatIds), [SeatLockArguments.SoldPrefix + holdId], "release sold", cancellationToken).ConfigureAwait(false);
        return (int)result;
    }

    public async ValueTask<bool> ExtendAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId, ttl);
        if (seatIds.Count == 0)
        {
            return true;
        }

        var result = await EvaluateAsync(ExtendScript, SeatKeys(performanceId, seatIds), [holdId, ToMilliseconds(ttl)], "extend", cancellationToken).ConfigureAwait(false);
        return (int)result == 1;
    }

    public async ValueTask<bool> MarkSoldAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId, CancellationToken cancellationToken = default)
    {
        SeatLockArguments.Check(seatIds, holdId);
        if (seatIds.Count == 0)
        {
            return true;
        }

        var result = await EvaluateAsync(MarkSoldScript, SeatKeys(performanceId, seatIds), [holdId], "mark sold", cancellationToken).ConfigureAwait(false);
        return (int)result == 1;
    }

    public async ValueTask<int> ForgetAsync(long performanceId, IReadOnlyList<long> seatIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        var forgotten = 0;
        for (var start = 0; start < seatIds.Count; start += ForgetChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = seatIds.Skip(start).Take(ForgetChunk).ToList();
            Task<long>? delete = null;
            try
            {
                // One multi-key DEL per chunk: the keys share the performance's hash tag, so one slot.
                var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
                delete = database.KeyDeleteAsync(SeatKeys(performanceId, chunk));
                forgotten += (int)await delete.WaitAsync(_operationTimeout).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsUnavailable(ex))
            {
                ObserveLateFailure(delete);
                throw Unavailable("forget seats", ex);
            }
        }

        return forgotten;
    }

    public async ValueTask<IReadOnlyDictionary<long, string>> GetHoldersAsync(long performanceId, IReadOnlyList<long> seatIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        var holders = new Dictionary<long, string>();
        if (seatIds.Count == 0)
        {
            return holders;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var keys = SeatKeys(performanceId, seatIds);
        RedisValue[] values;
        Task<RedisValue[]>? read = null;
        try
        {
            var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            read = database.StringGetAsync(keys);
            values = await read.WaitAsync(_operationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            ObserveLateFailure(read);
            throw Unavailable("read holders", ex);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!values[i].IsNull)
            {
                holders[seatIds[i]] = SeatLockArguments.HolderOf(values[i]!);
            }
        }

        return holders;
    }

    /// <summary>The Redis key of a seat; the <c>{perf:N}</c> hash tag keeps a performance in one slot.</summary>
    internal static string SeatKey(string keyPrefix, long performanceId, long seatId) =>
        string.Concat(keyPrefix, "seat:{perf:", performanceId.ToString(CultureInfo.InvariantCulture), "}:", seatId.ToString(CultureInfo.InvariantCulture));

    private RedisKey[] SeatKeys(long performanceId, IReadOnlyList<long> seatIds)
    {
        var performancePrefix = string.Concat(_keyPrefix, "seat:{perf:", performanceId.ToString(CultureInfo.InvariantCulture), "}:");
        var keys = new RedisKey[seatIds.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = performancePrefix + seatIds[i].ToString(CultureInfo.InvariantCulture);
        }

        return keys;
    }

    private static long ToMilliseconds(TimeSpan ttl) => Math.Max(1, (long)Math.Ceiling(ttl.TotalMilliseconds));

    /// <param name="compensatingHoldId">
    /// For an acquire: when the script was sent but its answer is lost, release the keys for this hold id.
    /// </param>
    private async Task<RedisResult> EvaluateAsync(LuaScriptText script, RedisKey[] keys, RedisValue[] args, string operation, CancellationToken cancellationToken, string? compensatingHoldId = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IDatabase database;
        try
        {
            database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable(operation, ex);
        }

        var evaluation = EvaluateByHashAsync(database, script, keys, args, Stopwatch.GetTimestamp());
        try
        {
            return await evaluation.WaitAsync(_operationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            ObserveLateFailure(evaluation);
            if (compensatingHoldId is not null && !IsNotSent(ex))
            {
                QueueCompensatingRelease(keys, compensatingHoldId);
            }

            throw Unavailable(operation, ex);
        }
    }

    private async Task<RedisResult> EvaluateByHashAsync(IDatabase database, LuaScriptText script, RedisKey[] keys, RedisValue[] args, long startedAt)
    {
        try
        {
            return await database.ScriptEvaluateAsync(script.Sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // Once the caller has given up (and maybe queued a compensating release), a late fallback
            // would run after that release and hold seats nobody knows about: do not send it.
            if (Stopwatch.GetElapsedTime(startedAt) >= _operationTimeout)
            {
                throw new TimeoutException("The script was not loaded and the call had already timed out.", ex);
            }

            return await database.ScriptEvaluateAsync(script.Text, keys, args).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The acquire may have run although its answer never came back: queue a compare-and-delete for
    /// the same hold id behind it on the same connection, so the caller's "failed" stays true.
    /// </summary>
    private void QueueCompensatingRelease(RedisKey[] keys, string holdId)
    {
        try
        {
            var database = _connection.GetDatabaseAsync(CancellationToken.None);
            if (database.IsCompletedSuccessfully)
            {
                database.Result.ScriptEvaluate(ReleaseScript.Text, keys, [holdId], CommandFlags.FireAndForget);
            }
        }
        catch (Exception ex)
        {
            // Best effort on a path that is already failing: never let it hide the original error.
            LogCompensationNotSent(_logger, keys.Length, ex);
        }
    }

    /// <summary>A call abandoned on timeout may still fail later; observe that so it is not reported as unobserved.</summary>
    private static void ObserveLateFailure(Task? abandoned)
    {
        if (abandoned is { IsCompleted: false })
        {
            abandoned.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>The multiplexer refused the command for want of a connection: it never left this process.</summary>
    private static bool IsNotSent(Exception exception) =>
        exception is RedisConnectionException { FailureType: ConnectionFailureType.UnableToResolvePhysicalConnection };

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        RedisConnectionException or TimeoutException => true,
        RedisServerException server => UnavailableReplies.Any(reply => server.Message.StartsWith(reply, StringComparison.Ordinal)),
        _ => false,
    };

    private SeatLockUnavailableException Unavailable(string operation, Exception exception)
    {
        LogUnavailable(_logger, operation, exception);
        return new SeatLockUnavailableException($"The seat-lock store (Redis) could not {operation}: it is unreachable or did not answer in time.", exception);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Seat lock {Operation} failed: Redis unavailable")]
    private static partial void LogUnavailable(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Could not queue the compensating release of {SeatCount} seats after an acquire with unknown outcome; they expire with their ttl")]
    private static partial void LogCompensationNotSent(ILogger logger, int seatCount, Exception exception);

    /// <summary>A Lua script and its SHA1, computed once (the hash Redis files it under).</summary>
    private sealed class LuaScriptText
    {
        public LuaScriptText(string text)
        {
            Text = text;
#pragma warning disable CA5350 // SHA1 is not used for security: it is the name Redis gives a script (EVALSHA).
            Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5350
        }

        public string Text { get; }

        public byte[] Sha1 { get; }
    }
}
