using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Common;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// Unexpected exceptions and the framework's bad-request exceptions become ProblemDetails. Client mistakes get
/// their 4xx; only genuine faults are 500, and those never carry a stack trace.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail, errors) = Classify(exception);
        if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogDependencyDown(logger, httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "2";
        }

        ProblemDetails problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors.ToDictionary(kv => kv.Key, kv => kv.Value));
        problem.Status = status;
        problem.Title = ProblemResults.TitleOf(status);
        problem.Type = ProblemResults.TypeBase + code.Replace('.', '/');
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static (int Status, string Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors) Classify(Exception exception) => exception switch
    {
        RequestValidationException e => (400, "validation", e.Message, e.Errors),
        DomainException e => (e.Errors.Count > 0 ? 400 : 409, e.Code, e.Message, e.Errors.Count > 0 ? e.Errors : null),
        BadHttpRequestException { StatusCode: 413 } => (413, "request.too_large", "The request body is larger than this endpoint accepts.", null),
        BadHttpRequestException { InnerException: JsonException json } => (400, "request.malformed_json", JsonMessage(json), null),
        BadHttpRequestException e => (e.StatusCode, ProblemResults.CodeOf(e.StatusCode), e.Message, null),
        SeatLockUnavailableException => (503, "seats.lock_unavailable", "Seat holds are briefly unavailable. Nothing was held; try again in a moment.", null),
        OperationCanceledException => (499, "request.cancelled", "The request was cancelled.", null),
        _ => (500, "internal", "An unexpected error occurred. It has been logged.", null),
    };

    private static string JsonMessage(JsonException json) =>
        json.Path is { Length: > 0 } path
            ? $"The body is not valid JSON for this endpoint (at {path}, line {json.LineNumber + 1})."
            : "The body is not valid JSON for this endpoint.";

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {Reason}")]
    private static partial void LogDependencyDown(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
