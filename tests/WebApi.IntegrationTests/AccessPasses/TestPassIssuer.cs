using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.WebApi.IntegrationTests.AccessPasses;

/// <summary>
/// Plays the waiting room's part: an ES256 key whose public half is served as a JWKS over real HTTP on loopback,
/// and passes signed with it (or deliberately broken ones).
/// </summary>
public sealed class TestPassIssuer : IAsyncDisposable
{
    public const string Issuer = "ticketing-waitingroom";
    public const string Audience = "ticketing-webapi";
    public const string Kid = "test-key-1";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private WebApplication? _server;

    public string JwksUrl { get; private set; } = string.Empty;

    public static async Task<TestPassIssuer> StartAsync()
    {
        var issuer = new TestPassIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var parameters = issuer._key.ExportParameters(false);
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "EC", crv = "P-256", kid = Kid, use = "sig", alg = "ES256", x = B64(parameters.Q.X!), y = B64(parameters.Q.Y!) } },
        });
        app.MapGet("/.well-known/jwks.json", () => Results.Text(jwks, "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer._server = app;
        issuer.JwksUrl = address + "/.well-known/jwks.json";
        return issuer;
    }

    public string Pass(string room, long[] performances, DateTimeOffset now, TimeSpan? lifetime = null, string? jti = null, string kid = Kid, string alg = "ES256", string audience = Audience, string? subject = null) =>
        Sign(Header(alg, kid), Claims(room, performances, now, lifetime ?? TimeSpan.FromMinutes(10), jti ?? Guid.NewGuid().ToString("N"), audience, subject));

    /// <summary>An account room's pass: its <c>sub</c> is the account the waiting room admitted.</summary>
    public string AccountPass(string room, long[] performances, DateTimeOffset now, Guid account, TimeSpan? lifetime = null) =>
        Pass(room, performances, now, lifetime, subject: account.ToString("D"));

    /// <summary>A pass signed by a key nobody published under our kid.</summary>
    public static string ForgedPass(string room, long[] performances, DateTimeOffset now)
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingInput = Header("ES256", Kid) + "." + Claims(room, performances, now, TimeSpan.FromMinutes(10), Guid.NewGuid().ToString("N"), Audience);
        return signingInput + "." + B64(other.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _key.Dispose();
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Header(string alg, string kid) => B64(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT", kid }));

    private static string Claims(string room, long[] performances, DateTimeOffset now, TimeSpan lifetime, string jti, string audience, string? subject = null) =>
        B64(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = Issuer,
            aud = audience,
            sub = subject ?? "ticket-" + jti,
            room,
            perfs = performances,
            iat = now.ToUnixTimeSeconds(),
            nbf = now.ToUnixTimeSeconds(),
            exp = (now + lifetime).ToUnixTimeSeconds(),
            jti,
        }));

    private string Sign(string header, string claims)
    {
        var signingInput = header + "." + claims;
        return signingInput + "." + B64(_key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256));
    }
}
