using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Ticketing.WebApi.Endpoints;

namespace Ticketing.WebApi.Infrastructure;

internal static class AccountSecurity
{
    /// <summary>Token revocation by security stamp, login attempts per account, and payment confirmations per fan.</summary>
    public static IServiceCollection AddAccountSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SecurityStamps>();
        services.AddSingleton<IClaimsTransformation>(sp => sp.GetRequiredService<SecurityStamps>());
        services.AddSingleton<LoginThrottle>();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(PaymentEndpoints.ConfirmRateLimit, context => RateLimitPartition.GetTokenBucketLimiter(
            context.User.Identity?.IsAuthenticated == true ? context.User.UserId().ToString() : context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, configuration.GetValue("RateLimits:ConfirmBurst", 10)),
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(60.0 / Math.Max(1, configuration.GetValue("RateLimits:ConfirmsPerMinute", 20))),
                QueueLimit = 0,
            })));
        return services;
    }
}
