using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.WaitingRoom.Errors;

namespace Ticketing.WaitingRoom.Identity;

/// <summary>
/// A browser names the page that sends a join in its <c>Origin</c> header. A join from another site (a form or a script
/// on a page the fan visits) must not reset or take the fan's place, so it is refused; the waiting room's own pages
/// (the same host) and the configured <c>WaitingRoom:JoinAllowedOrigins</c> may join. A request without <c>Origin</c>
/// is not a browser's cross-site request (apps, curl, server-side clients), so it is allowed.
/// </summary>
internal static class JoinOrigins
{
    public static bool IsAllowed(HttpRequest request, IReadOnlyList<string> allowed)
    {
        var header = request.Headers.Origin;
        if (header.Count == 0)
        {
            return true;
        }

        if (header.Count > 1 || !Uri.TryCreate(header[0], UriKind.Absolute, out var origin) || (origin.Scheme != Uri.UriSchemeHttp && origin.Scheme != Uri.UriSchemeHttps))
        {
            // "null" (a sandboxed frame, a file) and anything that is not one http(s) origin.
            return false;
        }

        // The host and port, not the scheme: behind a proxy that ends TLS the request reads http while the page was https.
        if (request.Host.HasValue && string.Equals(origin.IsDefaultPort ? origin.Host : origin.Authority, HostWithoutDefaultPort(request), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var entry in allowed)
        {
            if (Uri.TryCreate(entry, UriKind.Absolute, out var allowedOrigin)
                && string.Equals(allowedOrigin.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(allowedOrigin.Authority, origin.Authority, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static ProblemHttpResult Refused() =>
        Problems.Create(StatusCodes.Status403Forbidden, "origin.forbidden", "Joining from another site is not allowed.", "Join from the waiting room's own queue page; another site's page cannot join for a fan.");

    private static string HostWithoutDefaultPort(HttpRequest request)
    {
        var host = request.Host;
        return host.Port is 80 or 443 ? host.Host : host.Value!;
    }
}
