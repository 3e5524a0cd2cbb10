using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>
/// Plays the WebApi's account part over real HTTP on loopback: an ES256 fan-identity key published as
/// <c>/.well-known/fan-identity/jwks.json</c>, sign-in and registration (<c>/api/accounts/login</c>,
/// <c>/api/accounts/register</c>) and <c>POST /api/accounts/me/queue-identity</c>, as the WebApi answers them. One
/// instance serves the whole test run (<see cref="Shared"/>), so every waiting room under test trusts its key.
/// </summary>
internal sealed class TestAccounts : IAsyncDisposable
{
    public const string Issuer = "ticketing-webapi";
    public const string Audience = "waiting-room";
    public const string Kid = "test-identity-key";
    public const string Password = "fan-password-1";

    private static readonly Lazy<TestAccounts> Instance = new(() => Start());

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ConcurrentDictionary<string, Guid> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private WebApplication? _app;

    public static TestAccounts Shared => Instance.Value;

    public string BaseUrl { get; private set; } = string.Empty;

    public string JwksUrl => BaseUrl + "/.well-known/fan-identity/jwks.json";

    /// <summary>Times the JWKS was fetched (the waiting room's cache and back-off are seen here).</summary>
    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    private int _jwksFetches;

    /// <summary>The account behind an email, created at first use (as registering would).</summary>
    public Guid AccountOf(string email) => _accounts.GetOrAdd(email, _ => Guid.NewGuid());

    /// <summary>A fan identity as the WebApi signs it, or a deliberately wrong one.</summary>
    public string Identity(Guid account, DateTimeOffset now, TimeSpan? lifetime = null, string audience = Audience, string issuer = Issuer, string kid = Kid, ECDsa? signWith = null)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", kid, typ = "JWT" }));
        var claims = B64(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = issuer,
            aud = audience,
            sub = account.ToString("D"),
            iat = now.ToUnixTimeSeconds(),
            exp = (now + (lifetime ?? TimeSpan.FromMinutes(5))).ToUnixTimeSeconds(),
            jti = Guid.NewGuid().ToString("N"),
        }));
        var input = header + "." + claims;
        return input + "." + B64((signWith ?? _key).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _key.Dispose();
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static TestAccounts Start()
    {
        var accounts = new TestAccounts();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var q = accounts._key.ExportParameters(false);
        var jwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "EC", crv = "P-256", kid = Kid, use = "sig", alg = "ES256", x = B64(q.Q.X!), y = B64(q.Q.Y!) } } });
        app.MapGet("/.well-known/fan-identity/jwks.json", () =>
        {
            Interlocked.Increment(ref accounts._jwksFetches);
            return Results.Text(jwks, "application/jwk-set+json");
        });
        app.MapPost("/api/accounts/register", async (HttpContext http) =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var email = body.RootElement.GetProperty("email").GetString()!;
            if (accounts._accounts.ContainsKey(email))
            {
                return Results.Problem(statusCode: 409, extensions: new Dictionary<string, object?> { ["code"] = "account.email_taken" });
            }

            var id = accounts.AccountOf(email);
            return Results.Json(new { id, email }, statusCode: 201);
        });
        app.MapPost("/api/accounts/login", async (HttpContext http) =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var email = body.RootElement.GetProperty("email").GetString()!;
            if (body.RootElement.GetProperty("password").GetString() != Password || !accounts._accounts.TryGetValue(email, out var id))
            {
                return Results.Problem(statusCode: 401, extensions: new Dictionary<string, object?> { ["code"] = "account.invalid_credentials" });
            }

            return Results.Json(new { tokenType = "Bearer", accessToken = "at-" + id.ToString("D"), expiresIn = 3600, refreshToken = "rt-" + id.ToString("D") });
        });
        app.MapPost("/api/accounts/me/queue-identity", (HttpContext http) =>
        {
            var bearer = http.Request.Headers.Authorization.FirstOrDefault();
            if (bearer is null || !bearer.StartsWith("Bearer at-", StringComparison.Ordinal) || !Guid.TryParse(bearer["Bearer at-".Length..], out var id))
            {
                return Results.Problem(statusCode: 401);
            }

            var now = DateTimeOffset.UtcNow;
            return Results.Json(new { identity = accounts.Identity(id, now), expiresAt = now.AddMinutes(5) });
        });
        app.StartAsync().GetAwaiter().GetResult();
        accounts._app = app;
        accounts.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return accounts;
    }
}
