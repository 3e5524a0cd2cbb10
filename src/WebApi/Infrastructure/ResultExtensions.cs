using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Application.Common;

namespace Ticketing.WebApi.Infrastructure;

internal static class ResultExtensions
{
    /// <summary>200 with the value, or the error's ProblemDetails.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Result<T> result, HttpContext context) =>
        result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem(context);

    /// <summary>201 with a Location and the value, or the error's ProblemDetails.</summary>
    public static Results<Created<T>, ProblemHttpResult> ToCreated<T>(this Result<T> result, HttpContext context, Func<T, string> location) =>
        result.IsSuccess ? TypedResults.Created(location(result.Value), result.Value) : result.Error!.ToProblem(context);
}
