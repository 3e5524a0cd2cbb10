using System.Threading.RateLimiting;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// Login attempts per account, whatever address they come from (credential stuffing spreads one account's guesses
/// over many addresses): a token bucket per normalised email. Unknown emails have buckets too, so a refusal never
/// tells whether an account exists.
/// </summary>
internal sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public LoginThrottle(IConfiguration configuration)
    {
        var burst = Math.Max(1, configuration.GetValue("RateLimits:LoginBurstPerAccount", 10));
        var perHour = Math.Max(1, configuration.GetValue("RateLimits:LoginsPerAccountPerHour", 30));
        _limiter = PartitionedRateLimiter.Create<string, string>(email => RateLimitPartition.GetTokenBucketLimiter(email, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromHours(1.0 / perHour),
            QueueLimit = 0,
        }));
    }

    /// <summary>Null when the attempt may go on; otherwise the 429 to answer.</summary>
    public Error? Attempt(string? email)
    {
        using var lease = _limiter.AttemptAcquire(EmailAddress.Normalize(email ?? string.Empty));
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return new Error(ErrorKind.TooManyRequests, "rate_limited", "Too many login attempts for this email. Wait before trying again.") { RetryAfter = retryAfter };
    }

    public void Dispose() => _limiter.Dispose();
}
