using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.SeatLocks;

namespace Ticketing.Infrastructure.SeatChanges;

/// <summary>Registers the live seat map's feed, hub and bus.</summary>
public static class SeatChangeServiceCollectionExtensions
{
    /// <summary>
    /// The feed (<see cref="ISeatChangeFeed"/>, also the hosted loop that batches), the hub the streams subscribe
    /// to, the EF Core interceptor that feeds it, and the bus: Redis pub/sub when <c>SeatLocks:Store</c> is
    /// <c>Redis</c> (the seat locks' connection), in process otherwise.
    /// </summary>
    public static IServiceCollection AddSeatChanges(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SeatStreamOptions>().Bind(configuration.GetSection(SeatStreamOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SeatChangeHub>();
        services.AddSingleton<InProcessSeatChangeBus>();
        services.AddSingleton<RedisSeatChangeBus>();
        services.AddSingleton<ISeatChangeBus>(sp =>
            sp.GetRequiredService<IOptions<SeatLockOptions>>().Value.Store == SeatLockStore.Redis
                ? sp.GetRequiredService<RedisSeatChangeBus>()
                : sp.GetRequiredService<InProcessSeatChangeBus>());
        services.AddSingleton<SeatChangeFeed>();
        services.AddSingleton<ISeatChangeFeed>(sp => sp.GetRequiredService<SeatChangeFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<SeatChangeFeed>());
        services.AddSingleton<IInterceptor, SeatChangeInterceptor>();
        return services;
    }
}
