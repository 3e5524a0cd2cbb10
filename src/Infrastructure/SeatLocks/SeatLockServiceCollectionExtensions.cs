using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.SeatLocks;

/// <summary>Registers <see cref="ISeatLock"/>.</summary>
public static class SeatLockServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISeatLock"/> as a singleton: the Redis adapter when <c>SeatLocks:Store</c> is
    /// <c>Redis</c> (connection string <c>ConnectionStrings:Redis</c>), otherwise the in-process adapter.
    /// <see cref="SeatLockOptions"/> are validated when the host starts (<c>ValidateOnStart</c>).
    /// Uses the registered <see cref="TimeProvider"/>, or <see cref="TimeProvider.System"/> when none is.
    /// </summary>
    public static IServiceCollection AddSeatLocks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SeatLockOptions>()
            .Bind(configuration.GetSection(SeatLockOptions.SectionName))
            .Configure(options => options.RedisConnectionString =
                configuration.GetConnectionString(SeatLockOptions.RedisConnectionStringName) ?? options.RedisConnectionString)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SeatLockOptions>, SeatLockOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InProcessSeatLock>();
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton<RedisSeatLock>();
        services.TryAddSingleton<ISeatLock>(provider =>
            provider.GetRequiredService<IOptions<SeatLockOptions>>().Value.Store == SeatLockStore.Redis
                ? provider.GetRequiredService<RedisSeatLock>()
                : provider.GetRequiredService<InProcessSeatLock>());
        return services;
    }
}
