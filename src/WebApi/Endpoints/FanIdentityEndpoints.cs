using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Ticketing.WebApi.FanIdentity;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>The fan identity a signed-in fan shows the waiting room, and the keys that check it.</summary>
internal static class FanIdentityEndpoints
{
    public static IEndpointRouteBuilder MapFanIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/accounts/me/queue-identity", IssueQueueIdentity).WithTags("Accounts").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapGet("/.well-known/fan-identity/jwks.json", Jwks).WithTags("Accounts").AllowAnonymous()
            .Produces<FanIdentityJwkSet>(StatusCodes.Status200OK, "application/jwk-set+json");
        return app;
    }

    /// <summary>
    /// A short-lived signed statement "this is account X" for the waiting room (an ES256 JWS, audience
    /// <c>waiting-room</c>). Send it in the <c>X-Fan-Identity</c> header when joining an account room: the place in
    /// line belongs to the account, and the pass issued at admission is good for this account only.
    /// </summary>
    public static Ok<QueueIdentityResponse> IssueQueueIdentity(HttpContext context, FanIdentityIssuer issuer)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(issuer.Issue(context.User.UserId()));
    }

    /// <summary>The public keys (JWK Set, ES256) that check fan identities; the waiting room fetches them.</summary>
    public static IResult Jwks(FanIdentityIssuer issuer, HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(issuer.KeySet, (System.Text.Json.JsonSerializerOptions?)null, "application/jwk-set+json");
    }
}
