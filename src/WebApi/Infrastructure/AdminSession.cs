using System.Security.Claims;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// The admin pages' browser session. The API authenticates with bearer tokens, which a browser navigation to
/// <c>/hangfire</c> does not send; so the <c>/admin</c> page, once its admin has logged in, trades the bearer token
/// for an HttpOnly, SameSite=Strict cookie scoped to <c>/hangfire</c> (Secure on HTTPS). The cookie never reaches
/// the API, which keeps accepting bearer tokens only.
/// </summary>
internal static class AdminSession
{
    public const string CookieScheme = "AdminCookie";
    public const string DashboardScheme = "AdminDashboard";
    public const string DashboardPolicy = "admin-dashboard";
    public const string DashboardPath = "/hangfire";
    public const string CookieName = "ticketing.admin";

    public static AuthenticationBuilder AddAdminSession(this AuthenticationBuilder authentication)
    {
        authentication.AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.Path = DashboardPath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(1);
            o.SlidingExpiration = false;
            o.LoginPath = "/admin";
            o.ReturnUrlParameter = "returnUrl";

            // Logged in but not an admin: 403, not a redirect to a page we do not have.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        // The dashboard accepts the cookie (a browser) or a bearer token (a script, a test): an anonymous browser is
        // sent to the login page, a fan or organizer gets 403 either way.
        authentication.AddPolicyScheme(DashboardScheme, "Admin cookie or bearer token", o => o.ForwardDefaultSelector = context =>
            context.Request.Headers.Authorization.Count > 0 ? BearerTokenDefaults.AuthenticationScheme : CookieScheme);
        return authentication;
    }

    public static AuthorizationBuilder AddAdminDashboardPolicy(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(DashboardPolicy, p => p.AddAuthenticationSchemes(DashboardScheme).RequireRole(Roles.Admin));

    /// <summary>
    /// The Hangfire dashboard at <c>/hangfire</c>, admins only. Its POST actions (retry, trigger, delete) keep
    /// Hangfire's antiforgery check (the antiforgery service is registered).
    /// </summary>
    public static IEndpointConventionBuilder MapAdminJobsDashboard(this IEndpointRouteBuilder app) =>
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            DashboardTitle = "Ticketing · Jobs",
            AppPath = "/admin",
            DisplayStorageConnectionString = false,
            // The endpoint's policy decides; this filter checks the role again inside Hangfire.
            Authorization = [new AdminOnly()],
        }).RequireAuthorization(DashboardPolicy);

    /// <summary>Trades the admin's bearer token for the dashboard cookie.</summary>
    public static async Task<NoContent> StartAsync(HttpContext context)
    {
        var identity = new ClaimsIdentity(context.User.Claims, CookieScheme);
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
        return TypedResults.NoContent();
    }

    /// <summary>Clears the dashboard cookie.</summary>
    public static async Task<NoContent> EndAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieScheme);
        return TypedResults.NoContent();
    }

    private sealed class AdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
