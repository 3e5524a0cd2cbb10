using Microsoft.Extensions.Options;

namespace Ticketing.Infrastructure.Payments;

public enum PaymentProvider
{
    /// <summary>The in-process Toss simulation of the embedded default (no network).</summary>
    Simulated,

    /// <summary>The Toss Payments HTTP API at <see cref="TossOptions.BaseUrl"/>.</summary>
    Toss,
}

/// <summary><c>Payments</c> section: which provider, and how the client talks to it.</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    public const string SimulatedSecretKey = "test_sk_simulated_provider";

    public PaymentProvider Provider { get; set; } = PaymentProvider.Simulated;

    public TossOptions Toss { get; set; } = new();
}

/// <summary><c>Payments:Toss</c>.</summary>
public sealed class TossOptions
{
    /// <summary>The secret key (<c>test_sk_…</c> or <c>live_sk_…</c>). Keep it in a secret store, not in appsettings.</summary>
    public string? SecretKey { get; set; }

    public string BaseUrl { get; set; } = "https://api.tosspayments.com";

    /// <summary>Each attempt's timeout.</summary>
    public int AttemptTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>The whole call, every attempt and retry delay included; the caller learns "unknown" after this at most.</summary>
    public int TotalTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>Retries after the first attempt, for transient codes and network faults only, with the same Idempotency-Key.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; exponential with jitter after that.</summary>
    public int RetryBaseDelayMilliseconds { get; set; } = 300;

    /// <summary>The circuit opens when this share of calls failed in the sampling window (with at least 20 calls).</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    public int CircuitBreakSeconds { get; set; } = 15;
}

/// <summary>Checks the options as a whole when the host starts.</summary>
internal sealed class PaymentOptionsValidator : IValidateOptions<PaymentOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentOptions options)
    {
        var failures = new List<string>();
        var toss = options.Toss;
        if (options.Provider == PaymentProvider.Toss)
        {
            if (string.IsNullOrWhiteSpace(toss.SecretKey))
            {
                failures.Add("Payments:Toss:SecretKey is required when Payments:Provider is Toss.");
            }

            if (!Uri.TryCreate(toss.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add("Payments:Toss:BaseUrl must be an absolute http(s) URL.");
            }
        }

        if (toss.AttemptTimeoutMilliseconds is < 50 or > 60_000)
        {
            failures.Add("Payments:Toss:AttemptTimeoutMilliseconds must be between 50 and 60000.");
        }

        if (toss.TotalTimeoutMilliseconds is < 50 or > 300_000)
        {
            failures.Add("Payments:Toss:TotalTimeoutMilliseconds must be between 50 and 300000.");
        }
        else if (toss.TotalTimeoutMilliseconds < toss.AttemptTimeoutMilliseconds)
        {
            failures.Add("Payments:Toss:TotalTimeoutMilliseconds must be at least Payments:Toss:AttemptTimeoutMilliseconds.");
        }

        if (toss.MaxRetries is < 1 or > 10)
        {
            failures.Add("Payments:Toss:MaxRetries must be between 1 and 10.");
        }

        if (toss.RetryBaseDelayMilliseconds is < 1 or > 10_000)
        {
            failures.Add("Payments:Toss:RetryBaseDelayMilliseconds must be between 1 and 10000.");
        }

        if (toss.CircuitFailureRatio is <= 0 or > 1)
        {
            failures.Add("Payments:Toss:CircuitFailureRatio must be in (0, 1].");
        }

        if (toss.CircuitBreakSeconds is < 1 or > 600)
        {
            failures.Add("Payments:Toss:CircuitBreakSeconds must be between 1 and 600.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
