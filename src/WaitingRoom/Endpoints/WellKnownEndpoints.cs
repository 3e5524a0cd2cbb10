using Ticketing.WaitingRoom.Passes;

namespace Ticketing.WaitingRoom.Endpoints;

internal sealed record Jwk(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);

internal sealed record JwkSet(IReadOnlyList<Jwk> Keys);

/// <summary>JWKS, health and the queue page.</summary>
internal static class WellKnownEndpoints
{
    public static void MapWellKnownEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", Jwks).WithTags("Passes")
            .WithSummary("The public keys (JWK Set, ES256) that verify access passes.")
            .Produces<JwkSet>(StatusCodes.Status200OK, "application/jwk-set+json");
        app.MapGet("/health", static () => TypedResults.Text("ok")).WithTags("Health");
        app.MapGet("/queue/{roomId}", QueuePage).WithTags("Queue")
            .WithSummary("The queue page a fan's browser shows (HTML; it joins and polls by itself).")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/waitingroom/admin", AdminPage).WithTags("Admin")
            .WithSummary("The admin's waiting-room page (HTML): rooms, live pacing, pause and resume; it calls the admin API with the key the admin types in.")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static IResult Jwks(SigningKeyRing keys, HttpContext http)
    {
        var published = keys.PublishedKeys();
        var list = new List<Jwk>(published.Count);
        foreach (var key in published)
        {
            list.Add(new Jwk("EC", "P-256", key.X, key.Y, key.Kid, "sig", "ES256"));
        }

        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(new JwkSet(list), WaitingRoomJsonContext.Default.JwkSet, contentType: "application/jwk-set+json");
    }

    /// <summary>The page is static and public; everything it shows comes from the admin API, which checks the key.</summary>
    internal static IResult AdminPage(IWebHostEnvironment environment, HttpContext http)
    {
        var file = environment.WebRootFileProvider.GetFileInfo("waitingroom/admin.html");
        if (!file.Exists || file.PhysicalPath is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(file.PhysicalPath, "text/html; charset=utf-8");
    }

    /// <summary>The page is static; it reads the room id from its own URL.</summary>
    internal static IResult QueuePage(string roomId, IWebHostEnvironment environment, HttpContext http)
    {
        var file = environment.WebRootFileProvider.GetFileInfo("queue/index.html");
        if (!file.Exists || file.PhysicalPath is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(file.PhysicalPath, "text/html; charset=utf-8");
    }
}
