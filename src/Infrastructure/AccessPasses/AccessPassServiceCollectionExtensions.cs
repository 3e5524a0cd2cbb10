using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.AccessPasses;

internal static class AccessPassServiceCollectionExtensions
{
    public const string SectionName = "AccessPasses";

    /// <summary>The pass verifier (singleton: its key and pass caches are per instance) and the binding gate.</summary>
    public static IServiceCollection AddAccessPasses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccessPassVerifierOptions>().Bind(configuration.GetSection(SectionName))
            .Validate(
                o => o.JwksUrl.IsAbsoluteUri && o.MaxTokenLength > 0 && o.ClockSkew >= TimeSpan.Zero && o.JwksTimeout > TimeSpan.Zero
                    && o.JwksRetryMinDelay > TimeSpan.Zero && o.JwksRetryMaxDelay >= o.JwksRetryMinDelay,
                "AccessPasses settings are not valid.")
            .ValidateOnStart();
        services.AddHttpClient(nameof(AccessPassVerifier), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new AccessPassVerifier(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AccessPassVerifier)),
            sp.GetRequiredService<IOptions<AccessPassVerifierOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AccessPassBindingCache>();
        services.AddSingleton<IAccessPassGate, AccessPassGate>();
        services.AddScoped<IAccessPassBindings, EfAccessPassBindings>();
        return services;
    }
}
