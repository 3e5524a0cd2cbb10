using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Ticketing.Infrastructure.AccessPasses;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.SeatLocks;

namespace Ticketing.Infrastructure.Health;

/// <summary>The booking API's readiness checks: database, seat-lock store, the waiting room's keys.</summary>
public static class InfrastructureHealthChecks
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Adds the checks with <paramref name="tag"/> (the host's readiness tag).</summary>
    public static IHealthChecksBuilder AddInfrastructureChecks(this IHealthChecksBuilder builder, string tag) => builder
        .AddCheck<DatabaseHealthCheck>("database", tags: [tag], timeout: CheckTimeout)
        .AddCheck<SeatLockStoreHealthCheck>("seat-locks", tags: [tag], timeout: CheckTimeout)
        .AddCheck<AccessPassKeysHealthCheck>("waitingroom-keys", tags: [tag], timeout: CheckTimeout);
}

/// <summary>The database answers: a connection opened through the application's own context.</summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("The database answers.")
            : HealthCheckResult.Unhealthy("The database does not answer.");
    }
}

/// <summary>With <c>SeatLocks:Store=Redis</c>: a PING over the seat locks' own connection. In process: always ready.</summary>
internal sealed class SeatLockStoreHealthCheck(IOptions<SeatLockOptions> options, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (settings.Store != SeatLockStore.Redis)
        {
            return HealthCheckResult.Healthy("In-process seat locks.");
        }

        try
        {
            var database = await services.GetRequiredService<RedisConnection>().GetDatabaseAsync(cancellationToken);
            if (!database.Multiplexer.IsConnected)
            {
                return HealthCheckResult.Unhealthy("Seat-lock Redis is not connected; holds fail closed.");
            }

            var latency = await database.PingAsync().WaitAsync(settings.OperationTimeout, cancellationToken);
            return HealthCheckResult.Healthy($"Seat-lock Redis answered PING in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Seat-lock Redis does not answer; holds fail closed.");
        }
    }
}

/// <summary>
/// Passes can be checked: the waiting room's keys are known, or its JWKS answers now (and is kept). Without them
/// the check is degraded, not unhealthy: this instance still sells performances that no waiting room paces and
/// still settles payments (paying a hold needs no pass), and only paced holds fail (503). Taking the whole
/// booking API out of rotation because the waiting room is down would turn one outage into two.
/// </summary>
internal sealed class AccessPassKeysHealthCheck(AccessPassVerifier verifier) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (verifier.KnownKeyCount > 0)
        {
            return HealthCheckResult.Healthy($"{verifier.KnownKeyCount} waiting-room key(s) known.");
        }

        return await verifier.EnsureKeysAsync(cancellationToken)
            ? HealthCheckResult.Healthy("The waiting room's JWKS answers.")
            : HealthCheckResult.Degraded("No waiting-room key is known and its JWKS does not answer; holds of paced performances fail until it does.");
    }
}
