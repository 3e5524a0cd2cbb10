using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Ticketing.Application.Common;

/// <summary>Logs each request's name, outcome and duration; slow ones at warning level.</summary>
public sealed partial class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly TimeSpan SlowThreshold = TimeSpan.FromMilliseconds(500);

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            var elapsed = Stopwatch.GetElapsedTime(started);
            var failure = ErrorCodeOf(response);
            if (elapsed > SlowThreshold)
            {
                LogSlow(logger, typeof(TRequest).Name, elapsed.TotalMilliseconds, failure ?? "ok");
            }
            else
            {
                LogHandled(logger, typeof(TRequest).Name, elapsed.TotalMilliseconds, failure ?? "ok");
            }

            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name);
            throw;
        }
    }

    private static string? ErrorCodeOf(TResponse response) =>
        response is IResultWithError { Error: { } error } ? error.Code : null;

    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "{Request} handled in {ElapsedMs:F1} ms: {Outcome}")]
    private static partial void LogHandled(ILogger logger, string request, double elapsedMs, string outcome);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "{Request} was slow: {ElapsedMs:F1} ms: {Outcome}")]
    private static partial void LogSlow(ILogger logger, string request, double elapsedMs, string outcome);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Request} threw after {ElapsedMs:F1} ms: {Exception}")]
    private static partial void LogFailed(ILogger logger, string request, double elapsedMs, string exception);
}
