using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Ticketing.Http;

/// <summary>
/// JSON is UTF-8 (RFC 8259). A JSON body that declares another charset (<c>application/json; charset=utf-7</c>) is
/// refused with 415 ProblemDetails before any endpoint reads it: the framework's JSON reader would otherwise throw on an
/// unknown or disabled encoding and the client would get a 500.
/// </summary>
internal static class JsonCharsetCheck
{
    public const string Code = "content_type.charset";

    public static IApplicationBuilder UseUtf8JsonBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsJsonInAnotherCharset(context.Request.ContentType))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Title = "Unsupported media type.",
                    Detail = "JSON bodies must be UTF-8: send charset=utf-8, or no charset.",
                    Extensions = { ["code"] = Code },
                },
            });
            return;
        }

        await next(context);
    });

    internal static bool IsJsonInAnotherCharset(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var type) || !type.Charset.HasValue)
        {
            return false;
        }

        var media = type.MediaType;
        var json = media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        var charset = type.Charset.ToString().Trim('"');
        return json && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}
