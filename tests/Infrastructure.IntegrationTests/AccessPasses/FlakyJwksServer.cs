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

namespace Ticketing.Infrastructure.IntegrationTests.AccessPasses;

/// <summary>How the JWKS server answers its next requests.</summary>
public enum JwksMode
{
    Serve,
    Hang,
    Garbage,
    ServerError,

    /// <summary>Well-formed JSON that is not a key set (an array).</summary>
    NotAKeySet,
}

/// <summary>
/// The waiting room's JWKS on real Kestrel (loopback, port 0) that can be told to hang, answer garbage or 500, and
/// passes signed with its key.
/// </summary>
public sealed class FlakyJwksServer : IAsyncDisposable
{
    public const string Kid = "flaky-key-1";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private WebApplication? _app;
    private int _requests;

    public JwksMode Mode { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public Uri JwksUrl { get; private set; } = null!;

    public static async Task<FlakyJwksServer> StartAsync()
    {
        var server = new FlakyJwksServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var q = server._key.ExportParameters(false).Q;
        var jwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "EC", crv = "P-256", kid = Kid, use = "sig", alg = "ES256", x = B64(q.X!), y = B64(q.Y!) } } });
        app.MapGet("/.well-known/jwks.json", async context =>
        {
            Interlocked.Increment(ref server._requests);
            switch (server.Mode)
            {
                case JwksMode.Hang:
                    // Until the client gives up (its timeout aborts the request).
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
                case JwksMode.Garbage:
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("{\"keys\": [ this is not json");
                    break;
                case JwksMode.ServerError:
                    context.Response.StatusCode = 500;
                    break;
                case JwksMode.NotAKeySet:
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("[{\"kty\":\"EC\"}]");
                    break;
                default:
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(jwks);
                    break;
            }
        });
        await app.StartAsync();
        server._app = app;
        server.JwksUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/.well-known/jwks.json");
        return server;
    }

    public string Pass(long performanceId, DateTimeOffset now, string kid = Kid)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", typ = "JWT", kid }));
        var claims = B64(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = "ticketing-waitingroom",
            aud = "ticketing-webapi",
            sub = "ticket-1",
            room = "demo",
            perfs = new[] { performanceId },
            nbf = now.ToUnixTimeSeconds(),
            exp = (now + TimeSpan.FromHours(2)).ToUnixTimeSeconds(),
            jti = Guid.NewGuid().ToString("N"),
        }));
        var input = header + "." + claims;
        return input + "." + B64(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
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
}
