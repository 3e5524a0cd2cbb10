using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// The resilience handler of the Toss <see cref="HttpClient"/> (<c>AddResilienceHandler("toss", ...)</c>, one
/// pipeline per process, so the circuit breaker sees every call): total timeout → retry (exponential backoff with
/// jitter; only transient Toss codes, 5xx and network faults) → circuit breaker → per-attempt timeout. A retry re-sends
/// the same <see cref="HttpRequestMessage"/>, so its <c>Idempotency-Key</c> header is the first attempt's.
/// </summary>
internal static partial class TossResilience
{
    public const string PipelineName = "toss";

    /// <summary>Codes that executed nothing and may be retried with the same Idempotency-Key (TOSS.md).</summary>
    public static readonly HashSet<string> TransientCodes =
    [
        "PROVIDER_ERROR", "CARD_PROCESSING_ERROR", "IDEMPOTENT_REQUEST_PROCESSING",
        "FAILED_REFUND_PROCESS", "FAILED_METHOD_HANDLING_CANCEL", "COMMON_ERROR", "FORBIDDEN_CONSECUTIVE_REQUEST",
    ];

    public static readonly ResiliencePropertyKey<string> OrderIdKey = new("toss.orderId");
    public static readonly ResiliencePropertyKey<string> OperationKey = new("toss.operation");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, TossOptions toss, TimeProvider clock, ILogger logger)
    {
        builder.TimeProvider = clock;
        var handled = new Func<Outcome<HttpResponseMessage>, ResilienceContext, ValueTask<bool>>(IsRetryableAsync);
        builder
            .AddTimeout(TimeSpan.FromMilliseconds(toss.TotalTimeoutMilliseconds))
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => handled(args.Outcome, args.Context),
                MaxRetryAttempts = toss.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(toss.RetryBaseDelayMilliseconds),
                MaxDelay = TimeSpan.FromMilliseconds(toss.RetryBaseDelayMilliseconds * 8),
                OnRetry = async args =>
                {
                    var cause = await CauseAsync(args.Outcome, args.Context.CancellationToken);
                    LogRetry(logger, Get(args.Context, OperationKey), Get(args.Context, OrderIdKey), args.AttemptNumber + 1,
                        args.RetryDelay.TotalMilliseconds, cause);
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => handled(args.Outcome, args.Context),
                FailureRatio = toss.CircuitFailureRatio,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(toss.CircuitBreakSeconds),
                OnOpened = args =>
                {
                    LogOpened(logger, args.BreakDuration.TotalSeconds);
                    return default;
                },
            })
            .AddTimeout(TimeSpan.FromMilliseconds(toss.AttemptTimeoutMilliseconds));
    }

    /// <summary>
    /// Network faults, attempt timeouts, 5xx (outcome unknown: a retry with the same key replays it if it executed) and
    /// the transient codes. The code is in the error body (<c>{"code", "message"}</c>, a few hundred bytes): it is
    /// buffered here, so the circuit breaker, the retry and finally the gateway all read the same bytes.
    /// </summary>
    private static async ValueTask<bool> IsRetryableAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (outcome.Exception is { } fault)
        {
            return fault is HttpRequestException or TimeoutRejectedException or IOException;
        }

        var response = outcome.Result!;
        if ((int)response.StatusCode >= 500)
        {
            return true;
        }

        if (response.IsSuccessStatusCode)
        {
            return false;
        }

        var code = await ErrorCodeAsync(response, context.CancellationToken);
        return code is not null && TransientCodes.Contains(code);
    }

    /// <summary>The <c>code</c> of a Toss error body, read from a buffered copy (null when the body is not one).</summary>
    public static async ValueTask<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return CodeOf(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static string? CodeOf(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["code"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The exception's name, the Toss code of a 4xx (already buffered by the predicate), or the 5xx status.</summary>
    private static async ValueTask<string> CauseAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } fault)
        {
            return fault.GetType().Name;
        }

        var response = outcome.Result!;
        var code = (int)response.StatusCode < 500 ? await ErrorCodeAsync(response, cancellationToken) : null;
        return code ?? $"HTTP {(int)response.StatusCode}";
    }

    private static string Get(ResilienceContext context, ResiliencePropertyKey<string> key) =>
        context.Properties.TryGetValue(key, out var value) ? value : "-";

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Toss {Operation} for order {OrderId}: retry {Attempt} in {DelayMs:F0} ms after {Cause}")]
    private static partial void LogRetry(ILogger logger, string operation, string orderId, int attempt, double delayMs, string cause);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Error, Message = "Toss circuit opened for {Seconds} s")]
    private static partial void LogOpened(ILogger logger, double seconds);
}
