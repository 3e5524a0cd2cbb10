using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Guests;

/// <summary>
/// What a guest session may do. A guest's bearer token is an ordinary account token with the <c>guest</c> role, so
/// without this step it would open every endpoint a fan's opens. Here, after authorization, a guest principal:
/// <list type="bullet">
/// <item>is refused (401 <c>guest.session_expired</c>) once its session's end (<see cref="UntilClaim"/>, set when the
/// code was verified) has passed, or when the token has none (a refreshed token: guests verify the phone again);</item>
/// <item>reaches only the endpoints of <see cref="Allowed"/> among those that need a login (403 <c>guest.not_allowed</c>
/// for any other, including endpoints added later: the list is an allow-list);</item>
/// <item>holds seats only of a performance the organizer opened to guests (403 <c>guest.performance_closed</c>).</item>
/// </list>
/// Ownership is the endpoints' own: a guest's orders and tickets are those of its account, like a fan's.
/// </summary>
internal static class GuestScope
{
    public const string Role = "guest";

    /// <summary>The end of the guest session, in Unix seconds.</summary>
    public const string UntilClaim = "ticketing:guest-until";

    /// <summary>The logged-in endpoints a guest may call: method and route pattern.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "GET /api/me",
        "POST /api/accounts/me/queue-identity",
        "POST " + HoldRoute,
        "POST " + HoldTogetherRoute,
        "GET /api/orders/{orderId}",
        "DELETE /api/orders/{orderId}",
        "GET /api/me/orders",
        "GET /api/orders/{orderId}/discounts",
        "PUT /api/orders/{orderId}/discounts",
        "GET /api/orders/{orderId}/cancellation",
        "POST /api/orders/{orderId}/cancellation",
        "POST /api/payments/confirm",
        "POST /api/payments/simulated/checkout",
        "GET /api/tickets/{ticketId}",
        "GET /api/tickets/{ticketId}/qr",
        "GET /api/me/tickets",
        "POST /api/guest/bookings",
    };

    private const string HoldRoute = "/api/performances/{performanceId:long}/holds";
    private const string HoldTogetherRoute = "/api/performances/{performanceId:long}/holds/together";

    public static IApplicationBuilder UseGuestScope(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.IsInRole(Role)
            && await RefusalAsync(context) is { } refusal)
        {
            await refusal.ToProblem(context).ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    private static async Task<Error?> RefusalAsync(HttpContext context)
    {
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();
        if (!long.TryParse(context.User.FindFirstValue(UntilClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            || clock.GetUtcNow().ToUnixTimeSeconds() >= until)
        {
            return Error.Unauthorized("guest.session_expired", "The guest session has ended. Verify your phone again to go on.");
        }

        var endpoint = context.GetEndpoint();
        if (endpoint is not RouteEndpoint route || endpoint.Metadata.GetMetadata<IAuthorizeData>() is null
            || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return null; // public endpoints (the catalog, the seat map) are open to anyone, guests included
        }

        var method = context.Request.Method;
        var pattern = route.RoutePattern.RawText ?? string.Empty;
        if (!Allowed.Contains($"{method} {pattern}"))
        {
            return Error.Forbidden("guest.not_allowed", "A guest session cannot do this. Sign in with an account.");
        }

        if (pattern is HoldRoute or HoldTogetherRoute
            && long.TryParse(context.Request.RouteValues["performanceId"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var performanceId))
        {
            var db = context.RequestServices.GetRequiredService<IAppDbContext>();
            var open = await db.Performances.AsNoTracking().Where(p => p.Id == performanceId).Select(p => (bool?)p.GuestBooking)
                .SingleOrDefaultAsync(context.RequestAborted);
            if (open == false)
            {
                return Error.Forbidden("guest.performance_closed", "This performance is not open to guest booking. Sign in with an account to book it.");
            }
        }

        return null;
    }
}
