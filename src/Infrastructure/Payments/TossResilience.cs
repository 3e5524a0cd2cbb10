using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Ticketing.Infrastructure.Payments;

/// <summary>One answer from Toss: HTTP status, body, and the error code when there is one.</summary>
internal sealed record TossReply(HttpStatusCode Status, string Body, string? Code)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// The Polly pipeline every Toss call runs in (one per process, so the circuit breaker sees all calls):
/// retry (exponential backoff with jitter, only transient codes and network faults) → circuit breaker → per-try timeout.
/// </summary>
internal sealed partial class TossResilience
{
    /// <summary>Codes that executed nothing and may be retried with the same Idempotency-Key (TOSS.md).</summary>
    public static readonly HashSet<string> TransientCodes =
    [
        "PROVIDER_ERROR", "CARD_PROCESSING_ERROR", "IDEMPOTENT_REQUEST_PROCESSING",
        "FAILED_REFUND_PROCESS", "FAILED_METHOD_HANDLING_CANCEL", "COMMON_ERROR", "FORBIDDEN_CONSECUTIVE_REQUEST",
    ];

    public static readonly ResiliencePropertyKey<string> OrderIdKey = new("toss.orderId");
    public static readonly ResiliencePropertyKey<string> OperationKey = new("toss.operation");

    public TossResilience(IOptions<PaymentOptions> options, TimeProvider clock, ILogger<TossResilience> logger)
    {
        var toss = options.Value.Toss;
        var handled = new PredicateBuilder<TossReply>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<IOException>()
            .HandleResult(IsRetryable);
        Pipeline = new ResiliencePipelineBuilder<TossReply> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<TossReply>
            {
                ShouldHandle = handled,
                MaxRetryAttempts = toss.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(toss.RetryBaseDelayMilliseconds),
                MaxDelay = TimeSpan.FromMilliseconds(toss.RetryBaseDelayMilliseconds * 8),
                OnRetry = args =>
                {
                    LogRetry(logger, Get(args.Context, OperationKey), Get(args.Context, OrderIdKey), args.AttemptNumber + 1,
                        args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.GetType().Name ?? args.Outcome.Result?.Code ?? "?");
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<TossReply>
            {
                ShouldHandle = handled,
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
            .AddTimeout(TimeSpan.FromMilliseconds(toss.AttemptTimeoutMilliseconds))
            .Build();
    }

    public ResiliencePipeline<TossReply> Pipeline { get; }

    /// <summary>Transient codes and 5xx (outcome unknown: a retry with the same key replays it if it executed).</summary>
    private static bool IsRetryable(TossReply reply) =>
        (int)reply.Status >= 500 || (reply.Code is not null && TransientCodes.Contains(reply.Code));

    private static string Get(ResilienceContext context, ResiliencePropertyKey<string> key) =>
        context.Properties.TryGetValue(key, out var value) ? value : "-";

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Toss {Operation} for order {OrderId}: retry {Attempt} in {DelayMs:F0} ms after {Cause}")]
    private static partial void LogRetry(ILogger logger, string operation, string orderId, int attempt, double delayMs, string cause);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Error, Message = "Toss circuit opened for {Seconds} s")]
    private static partial void LogOpened(ILogger logger, double seconds);
}
