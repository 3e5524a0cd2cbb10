using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ticketing.Infrastructure.SeatLocks;

/// <summary>
/// Owns the one <see cref="ConnectionMultiplexer"/> of the seat locks, created on first use.
/// </summary>
/// <remarks>
/// <c>AbortOnConnectFail=false</c>: the service starts while Redis is down (the first call waits at
/// most <see cref="SeatLockOptions.ConnectTimeout"/>, then calls fail fast with
/// <c>SeatLockUnavailableException</c>) and the multiplexer reconnects by itself when Redis is back.
/// A failed creation is not cached: the next call tries again.
/// </remarks>
internal sealed partial class RedisConnection(IOptions<SeatLockOptions> options, ILogger<RedisConnection> logger)
    : IDisposable, IAsyncDisposable
{
    private const int MinAsyncTimeoutMilliseconds = 5000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ConnectionMultiplexer? _multiplexer;
    private volatile bool _disposed;

    public async ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken) =>
        (await GetMultiplexerAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();

    /// <summary>The shared multiplexer (the live seat map's pub/sub uses it too).</summary>
    public async ValueTask<IConnectionMultiplexer> GetMultiplexerAsync(CancellationToken cancellationToken)
    {
        var multiplexer = _multiplexer;
        if (multiplexer is not null)
        {
            return multiplexer;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _multiplexer ??= await ConnectAsync().ConfigureAwait(false);
            return _multiplexer;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var settings = options.Value;
        var configuration = ConfigurationOptions.Parse(settings.RedisConnectionString!);
        var connectMilliseconds = ToMilliseconds(settings.ConnectTimeout);
        var operationMilliseconds = ToMilliseconds(settings.OperationTimeout);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = connectMilliseconds;
        configuration.ConnectRetry = 1;
        configuration.SyncTimeout = operationMilliseconds;
        // Each call waits OperationTimeout itself (WaitAsync); the client's own async timeout is a backstop that
        // is deliberately longer, so one slow reply fails that call and leaves the others alone.
        configuration.AsyncTimeout = Math.Max(MinAsyncTimeoutMilliseconds, 2 * operationMilliseconds);
        configuration.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 2000);
        configuration.ClientName ??= "ticketing-seatlocks";

        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);

        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        if (!multiplexer.IsConnected)
        {
            LogStartedDisconnected(logger, configuration.ToString(includePassword: false));
        }

        return multiplexer;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        LogConnectionFailed(logger, e.EndPoint?.ToString(), e.FailureType.ToString(), e.Exception);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) =>
        LogConnectionRestored(logger, e.EndPoint?.ToString());

    private static int ToMilliseconds(TimeSpan value) => (int)Math.Ceiling(value.TotalMilliseconds);

    public void Dispose()
    {
        _disposed = true;
        var multiplexer = Interlocked.Exchange(ref _multiplexer, null);
        if (multiplexer is not null)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            multiplexer.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Seat-lock Redis is not reachable at start ({Configuration}); calls fail closed until it reconnects")]
    private static partial void LogStartedDisconnected(ILogger logger, string configuration);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Seat-lock Redis connection to {EndPoint} failed ({FailureType})")]
    private static partial void LogConnectionFailed(ILogger logger, string? endPoint, string failureType, Exception? exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Seat-lock Redis connection to {EndPoint} restored")]
    private static partial void LogConnectionRestored(ILogger logger, string? endPoint);
}
