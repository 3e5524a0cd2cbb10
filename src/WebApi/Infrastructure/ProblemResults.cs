using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Ticketing.Application.Common;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>The one place where an expected failure becomes an HTTP answer (RFC 9457 ProblemDetails).</summary>
internal static class ProblemResults
{
    public const string TypeBase = "https://ticketing.dev/problems/";

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.PaymentRequired => StatusCodes.Status402PaymentRequired,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult ToProblem(this Error error, HttpContext? context = null)
    {
        var status = StatusOf(error.Kind);
        var problem = error.Fields is { Count: > 0 }
            ? new HttpValidationProblemDetails(error.Fields.ToDictionary(kv => kv.Key, kv => kv.Value))
            : new ProblemDetails();
        problem.Status = status;
        problem.Type = TypeBase + error.Code.Replace('.', '/');
        problem.Title = TitleOf(status);
        problem.Detail = error.Message;
        problem.Extensions["code"] = error.Code;
        if (error.Data is not null)
        {
            foreach (var (key, value) in error.Data)
            {
                problem.Extensions[key] = value;
            }
        }

        if (error.RetryAfter is { } retryAfter && context is not null)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(problem);
    }

    public static string TitleOf(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        402 => "The payment was declined.",
        403 => "You are not allowed to do this.",
        404 => "Not found.",
        405 => "Method not allowed.",
        409 => "Conflict.",
        410 => "Gone.",
        413 => "The request body is too large.",
        415 => "Unsupported media type.",
        429 => "Too many requests.",
        503 => "The service is unavailable; try again shortly.",
        _ => "An error occurred.",
    };

    public static string CodeOf(int status) => status switch
    {
        400 => "request.bad",
        401 => "auth.required",
        403 => "auth.forbidden",
        404 => "route.not_found",
        405 => "route.method_not_allowed",
        406 => "request.not_acceptable",
        413 => "request.too_large",
        415 => "request.unsupported_media_type",
        429 => "rate_limited",
        503 => "service.unavailable",
        _ => "error",
    };
}
