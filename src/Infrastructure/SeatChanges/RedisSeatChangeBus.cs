using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Ticketing.Infrastructure.SeatLocks;

namespace Ticketing.Infrastructure.SeatChanges;

/// <summary>
/// Seat changes between instances over Redis: one Lua script increments the performance's version and publishes
/// the batch under it, so every instance receives the same versions in the same order. Each instance subscribes to
/// one channel for all performances and hands messages to its hub one at a time, in the order Redis sent them.
/// </summary>
/// <remarks>
/// Keys: <c>{KeyPrefix}seatfeed:{perf:N}:v</c> (the version); channel: <c>{KeyPrefix}seatfeed</c>; message:
/// <c>{performanceId}:{version}:{changes JSON array | R}</c>.
/// </remarks>
internal sealed partial class RedisSeatChangeBus(
    RedisConnection connection,
    SeatChangeHub hub,
    IOptions<SeatLockOptions> options,
    TimeProvider clock,
    ILogger<RedisSeatChangeBus> logger) : ISeatChangeBus
{
    private const string PublishScript = """
        local v = redis.call('INCR', KEYS[1])
        redis.call('PUBLISH', ARGV[1], ARGV[2] .. ':' .. v .. ':' .. ARGV[3])
        return v
        """;

    private readonly string _prefix = options.Value.KeyPrefix;

    private RedisChannel Channel => RedisChannel.Literal(_prefix + "seatfeed");

    /// <summary>
    /// Subscribes in the background, retrying every second while Redis cannot be reached: the WebApi starts (and
    /// serves the map) while Redis is down, as the seat locks do; streams see changes once the subscription is in.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first attempt is awaited, so a host that starts with Redis up streams from its first request. The bound
        // is the wall clock's on purpose: it limits start-up, it is not a timer of the product's.
        _subscribing = SubscribeAsync();
        await Task.WhenAny(_subscribing, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The subscription, retried until it succeeds.</summary>
    private Task? _subscribing;

    private async Task SubscribeAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var multiplexer = await connection.GetMultiplexerAsync(CancellationToken.None).ConfigureAwait(false);

                // One ordered queue: messages are handled one after another in the order Redis sent them.
                var queue = await multiplexer.GetSubscriber().SubscribeAsync(Channel).ConfigureAwait(false);
                queue.OnMessage(message => Receive(message.Message));
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (attempt == 0)
                {
                    LogSubscribeFailed(logger, ex);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), clock).ConfigureAwait(false);
            }
        }
    }

    public async Task PublishAsync(long performanceId, SeatChangeBatch batch, CancellationToken cancellationToken)
    {
        var db = (await connection.GetMultiplexerAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        await db.ScriptEvaluateAsync(
            PublishScript,
            [VersionKey(performanceId)],
            [Channel.ToString(), performanceId.ToString(CultureInfo.InvariantCulture), batch.IsReload ? "R" : batch.ToJsonArray()]).ConfigureAwait(false);
    }

    public async ValueTask<long> GetVersionAsync(long performanceId, CancellationToken cancellationToken)
    {
        var db = (await connection.GetMultiplexerAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var value = await db.StringGetAsync(VersionKey(performanceId)).ConfigureAwait(false);
        return value.IsNullOrEmpty ? 0 : (long)value;
    }

    private RedisKey VersionKey(long performanceId) => $"{_prefix}seatfeed:{{perf:{performanceId.ToString(CultureInfo.InvariantCulture)}}}:v";

    private void Receive(RedisValue message)
    {
        try
        {
            var text = ((string?)message).AsSpan();
            var first = text.IndexOf(':');
            var second = text[(first + 1)..].IndexOf(':') + first + 1;
            var performanceId = long.Parse(text[..first], CultureInfo.InvariantCulture);
            var version = long.Parse(text[(first + 1)..second], CultureInfo.InvariantCulture);
            var payload = text[(second + 1)..];
            hub.Deliver(performanceId, version, payload is "R" ? SeatChangeBatch.Reload : SeatChangeBatch.FromJsonArray(payload));
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            LogBadMessage(logger, ex);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not subscribe to seat changes in Redis; retrying every second")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "A seat-change message from Redis could not be read; it was skipped")]
    private static partial void LogBadMessage(ILogger logger, Exception exception);
}
