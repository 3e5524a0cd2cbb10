using System.Globalization;
using Microsoft.Extensions.Primitives;
using Ticketing.WaitingRoom.Errors;

namespace Ticketing.WaitingRoom.Gateway;

/// <summary>
/// Step of the proxy pipeline, before load balancing: for a performance a room paces, a hold
/// (<c>POST /api/performances/{id}/holds</c>, <c>.../holds/together</c>) or the booking page
/// (<c>GET /book/performances/{id}</c>) needs a valid pass, from <c>X-Access-Pass</c> or the room's
/// <c>wr_pass_{room}</c> cookie. A browser without one goes to the queue page (302); an API client gets 403
/// ProblemDetails with <c>code</c>, <c>roomId</c> and <c>queueUrl</c>. A valid pass is forwarded as <c>X-Access-Pass</c>.
/// Every other request passes untouched after a path check that allocates nothing.
/// </summary>
internal static class GatewayPassCheck
{
    public const string PassHeader = "X-Access-Pass";

    private const string Performances = "/api/performances/";
    private const string BookPerformances = "/book/performances/";

    public static Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (!TryMatch(http.Request, out var performanceId, out var page))
        {
            return next(http);
        }

        var services = http.RequestServices;
        var rooms = services.GetRequiredService<PacedPerformances>().RoomsOf(performanceId);
        if (rooms is null)
        {
            return next(http);
        }

        var request = http.Request;
        string? headerPass = null;
        var header = request.Headers[PassHeader];
        if (header.Count > 0 && !string.IsNullOrEmpty(header[0]))
        {
            headerPass = header[0];
        }

        // A room in passthrough admits everyone at once: no check here; a pass the fan holds still travels on.
        foreach (var room in rooms)
        {
            if (!room.RequiresPass)
            {
                if (headerPass is null)
                {
                    ForwardCookiePass(request, rooms);
                }

                return next(http);
            }
        }

        var verifier = services.GetRequiredService<GatewayPassVerifier>();
        var verdict = PassVerdict.Required;
        string? passText = null;
        if (headerPass is not null)
        {
            verdict = verifier.Check(headerPass, headerPass, performanceId, rooms, out passText);
        }
        else
        {
            foreach (var room in rooms)
            {
                var cookie = PassCookie.Find(request, room.CookieName);
                if (cookie.IsEmpty)
                {
                    continue;
                }

                verdict = verifier.Check(cookie, null, performanceId, rooms, out passText);
                if (verdict == PassVerdict.Valid)
                {
                    break;
                }
            }
        }

        if (verdict == PassVerdict.Valid)
        {
            if (headerPass is null)
            {
                request.Headers[PassHeader] = passText;
            }

            return next(http);
        }

        return RefuseAsync(http, rooms[0], verdict, page);
    }

    /// <summary>
    /// Matches the three guarded requests, case-insensitively and with an optional trailing slash as the WebApi's
    /// routing does, and reads the performance id as its <c>long</c> route constraint does.
    /// </summary>
    internal static bool TryMatch(HttpRequest request, out long performanceId, out bool page)
    {
        performanceId = 0;
        page = false;
        var path = request.Path.Value.AsSpan();
        if (path.EndsWith('/'))
        {
            path = path[..^1];
        }

        ReadOnlySpan<char> id;
        if (HttpMethods.IsPost(request.Method) && path.StartsWith(Performances, StringComparison.OrdinalIgnoreCase))
        {
            var rest = path[Performances.Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0)
            {
                return false;
            }

            var tail = rest[slash..];
            if (!tail.Equals("/holds", StringComparison.OrdinalIgnoreCase) && !tail.Equals("/holds/together", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            id = rest[..slash];
        }
        else if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && path.StartsWith(BookPerformances, StringComparison.OrdinalIgnoreCase))
        {
            id = path[BookPerformances.Length..];
            if (id.Contains('/'))
            {
                return false;
            }

            page = true;
        }
        else
        {
            return false;
        }

        return long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out performanceId);
    }

    private static void ForwardCookiePass(HttpRequest request, PacingRoom[] rooms)
    {
        foreach (var room in rooms)
        {
            var cookie = PassCookie.Find(request, room.CookieName);
            if (!cookie.IsEmpty)
            {
                request.Headers[PassHeader] = cookie.ToString();
                return;
            }
        }
    }

    private static Task RefuseAsync(HttpContext http, PacingRoom room, PassVerdict verdict, bool page)
    {
        if (page && AcceptsHtml(http.Request.Headers.Accept))
        {
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = room.QueueUrl;
            http.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }

        var (code, title, detail) = verdict switch
        {
            PassVerdict.Expired => ("pass.expired", "The access pass has expired.", "Join the waiting room again to get a new pass."),
            PassVerdict.WrongRoom => ("pass.wrong_room", "The access pass is for another sale.", $"This performance is paced by waiting room '{room.Id}'."),
            PassVerdict.Invalid => ("pass.invalid", "The access pass is not valid.", "The pass was altered, forged or signed with a key that is no longer published."),
            _ => ("pass.required", "An access pass is required.", $"This performance is paced by waiting room '{room.Id}': wait in its queue for a pass."),
        };
        var problem = Problems.Create(StatusCodes.Status403Forbidden, code, title, detail);
        problem.ProblemDetails.Extensions["roomId"] = room.Id;
        problem.ProblemDetails.Extensions["queueUrl"] = room.QueueUrl;
        http.Response.Headers.CacheControl = "no-store";
        return problem.ExecuteAsync(http);
    }

    private static bool AcceptsHtml(StringValues accept)
    {
        foreach (var value in accept)
        {
            if (value is not null && value.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
