using Microsoft.AspNetCore.Routing.Template;

namespace Ticketing.WaitingRoom.Gateway;

/// <summary>
/// The WaitingRoom's own path prefixes are never proxied. The catch-all route still matches them when no local endpoint
/// accepts the request (wrong method, wrong media type, unknown path); this first step of the proxy pipeline then
/// answers what the WaitingRoom's routing would have: 405 (with Allow), 415 or 404, each a ProblemDetails (status code pages).
/// </summary>
internal sealed class LocalPaths(EndpointDataSource endpoints)
{
    /// <summary>The WaitingRoom's own paths (without the leading slash), each a whole-segment prefix.</summary>
    internal static readonly string[] Prefixes =
    [
        "api/rooms", "api/admin/rooms", "api/admin/keys", "queue", ".well-known", "health", "metrics", "docs", "openapi", "waitingroom",
    ];

    private readonly Lazy<List<(TemplateMatcher Matcher, IReadOnlyList<string>? Methods)>> _local = new(() => Load(endpoints));

    public static bool IsLocal(ReadOnlySpan<char> path)
    {
        path = path.TrimStart('/');
        foreach (var prefix in Prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }

    public static Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (!IsLocal(http.Request.Path.Value))
        {
            return next(http);
        }

        http.RequestServices.GetRequiredService<LocalPaths>().Refuse(http);
        return Task.CompletedTask;
    }

    private void Refuse(HttpContext http)
    {
        var methods = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var anyMethod = false;
        foreach (var (matcher, allowed) in _local.Value)
        {
            if (!matcher.TryMatch(http.Request.Path, new RouteValueDictionary()))
            {
                continue;
            }

            if (allowed is null)
            {
                anyMethod = true;
            }
            else
            {
                methods.UnionWith(allowed);
            }
        }

        if (!anyMethod && methods.Count > 0 && !methods.Contains(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = string.Join(", ", methods);
            return;
        }

        // The path and method exist: only the body's media type can have kept the endpoint from matching.
        http.Response.StatusCode = anyMethod || methods.Count > 0 ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status404NotFound;
    }

    private static List<(TemplateMatcher, IReadOnlyList<string>?)> Load(EndpointDataSource endpoints)
    {
        var list = new List<(TemplateMatcher, IReadOnlyList<string>?)>();
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint is RouteEndpoint route && route.RoutePattern.RawText is { } raw && IsLocal(raw))
            {
                var template = TemplateParser.Parse(raw);
                list.Add((new TemplateMatcher(template, new RouteValueDictionary()), route.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods));
            }
        }

        return list;
    }
}
