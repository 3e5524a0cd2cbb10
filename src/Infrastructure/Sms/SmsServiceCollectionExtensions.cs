using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Sms;

public static class SmsServiceCollectionExtensions
{
    /// <summary>The <see cref="ISmsSender"/> that <c>Sms:Provider</c> names (Simulated in Development, None elsewhere by default).</summary>
    public static IServiceCollection AddSms(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        if (IsSimulated(configuration, environment))
        {
            services.AddSingleton<SimulatedSmsSender>();
            services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SimulatedSmsSender>());
        }
        else
        {
            services.AddSingleton<ISmsSender, NoSmsSender>();
        }

        return services;
    }

    /// <summary>True when the simulated sender is in use: named, or unnamed in Development.</summary>
    public static bool IsSimulated(IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = configuration[$"{SmsOptions.SectionName}:Provider"];
        return string.IsNullOrWhiteSpace(provider)
            ? environment.IsDevelopment()
            : string.Equals(provider.Trim(), "Simulated", StringComparison.OrdinalIgnoreCase);
    }
}
