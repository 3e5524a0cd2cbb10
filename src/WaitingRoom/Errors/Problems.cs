using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;
using Ticketing.WaitingRoom.Queue;

namespace Ticketing.WaitingRoom.Errors;

/// <summary>RFC 9457 problem responses with a stable <c>type</c> and <c>code</c>.</summary>
internal static class Problems
{
    public const string TypeBase = "https://ticketing.example/problems/waitingroom/";

    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: TypeBase + code, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ValidationProblem Validation(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.", type: TypeBase + "validation-failed", extensions: new Dictionary<string, object?> { ["code"] = "validation-failed" });

    public static ProblemHttpResult RoomNotFound(string roomId) =>
        Create(StatusCodes.Status404NotFound, "room-not-found", "No such room.", $"Room '{roomId}' does not exist.");

    public static ProblemHttpResult InvalidRoomId() =>
        Create(StatusCodes.Status400BadRequest, "invalid-room-id", "Invalid room id.", "Room ids are 1-64 characters: a-z, 0-9, '-' or '_', not starting with 'pass_'.");

    /// <summary>Code for a bare status (status code pages, framework-produced errors).</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        406 => "not-acceptable",
        409 => "conflict",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        503 => "service-unavailable",
        _ => status >= 500 ? "internal-error" : "error",
    };

    /// <summary>Fills in <c>type</c>, <c>code</c> and <c>traceId</c> on every problem, including framework ones.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (!problem.Extensions.TryGetValue("code", out var code) || code is null)
        {
            code = CodeFor(status);
            problem.Extensions["code"] = code;
        }

        if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            problem.Type = TypeBase + code;
        }

        problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
    }
}

/// <summary>Maps exceptions to problems: bad input 4xx, store down 503, anything else 500 without details.</summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string code;
        string title;
        string? detail = null;
        switch (exception)
        {
            case BadHttpRequestException bad:
                status = bad.StatusCode;
                code = Problems.CodeFor(status);
                title = "The request could not be read.";
                detail = bad.Message;
                break;
            case System.Text.Json.JsonException:
                status = StatusCodes.Status400BadRequest;
                code = "malformed-json";
                title = "The request body is not valid JSON.";
                break;
            case RedisConnectionException or RedisTimeoutException or QueueStoreTimeoutException:
                status = StatusCodes.Status503ServiceUnavailable;
                code = "store-unavailable";
                title = "The queue store is unavailable; try again shortly.";
                httpContext.Response.Headers.RetryAfter = "5";
                LogStoreDown(logger, exception);
                break;
            default:
                status = StatusCodes.Status500InternalServerError;
                code = "internal-error";
                title = "Something went wrong on our side.";
                LogUnexpected(logger, exception);
                break;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = Problems.TypeBase + code,
                Extensions = { ["code"] = code },
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue store unavailable")]
    private static partial void LogStoreDown(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
