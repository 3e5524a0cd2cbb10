using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Ticketing.Telemetry;
using Ticketing.WaitingRoom.Passes;

namespace Ticketing.WaitingRoom.Telemetry;

/// <summary>Readiness of the queue store: a PING over the service's own Redis connection when the store is Redis.</summary>
internal sealed class QueueStoreHealthCheck(IServiceProvider services, IOptions<WaitingRoomOptions> options) : IHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.Store != StoreKind.Redis)
        {
            return HealthCheckResult.Healthy("In-process queue store.");
        }

        try
        {
            // The same multiplexer the store uses; resolving it connects on first use.
            var redis = services.GetRequiredService<IConnectionMultiplexer>();
            if (!redis.IsConnected)
            {
                return HealthCheckResult.Unhealthy("Redis is not connected.");
            }

            var latency = await redis.GetDatabase().PingAsync().WaitAsync(PingTimeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered PING in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.");
        }
    }
}

/// <summary>Readiness of pass signing: a current key that can sign is loaded.</summary>
internal sealed class SigningKeysHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var keys = services.GetRequiredService<SigningKeyRing>();
        return Task.FromResult(keys.Current.CanSign
            ? HealthCheckResult.Healthy($"Signing with key {keys.Current.Kid}.")
            : HealthCheckResult.Unhealthy("No signing key is loaded."));
    }
}

internal static class WaitingRoomHealthChecks
{
    public static IServiceCollection AddWaitingRoomHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<QueueStoreHealthCheck>("queue-store", tags: [ServiceTelemetry.ReadyTag], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<SigningKeysHealthCheck>("signing-keys", tags: [ServiceTelemetry.ReadyTag], timeout: TimeSpan.FromSeconds(3));
        return services;
    }
}
