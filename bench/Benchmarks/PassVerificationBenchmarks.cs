using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ticketing.Infrastructure.AccessPasses;

namespace Ticketing.Benchmarks;

/// <summary>
/// What checking an access pass costs the WebApi: the first time a pass is seen (parse, ES256 signature check)
/// and every time after (a dictionary lookup and the expiry/performance checks).
/// </summary>
[MemoryDiagnoser]
public class PassVerificationBenchmarks
{
    private const string Kid = "bench-key";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private AccessPassVerifier _verifier = null!;
    private string[] _fresh = [];
    private string _cached = string.Empty;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var q = _key.ExportParameters(false).Q;
        var jwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "EC", crv = "P-256", kid = Kid, use = "sig", alg = "ES256", x = B64(q.X!), y = B64(q.Y!) } } });
        var http = new HttpClient(new StaticHandler(jwks));
        _verifier = new AccessPassVerifier(http, new AccessPassVerifierOptions { JwksUrl = new Uri("http://waitingroom/.well-known/jwks.json"), MaxCachedPasses = 10_000_000 }, TimeProvider.System);
        _fresh = Enumerable.Range(0, 200_000).Select(_ => Pass()).ToArray();
        _cached = Pass();
        _verifier.VerifyAsync(_cached, 2).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "cold: a pass seen for the first time")]
    public bool Cold() => _verifier.VerifyAsync(_fresh[_next++ % _fresh.Length], 2).AsTask().GetAwaiter().GetResult().IsValid;

    [Benchmark(Baseline = true, Description = "cached: the same pass again")]
    public bool Cached() => _verifier.VerifyAsync(_cached, 2).AsTask().GetAwaiter().GetResult().IsValid;

    private string Pass()
    {
        var now = DateTimeOffset.UtcNow;
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", typ = "JWT", kid = Kid }));
        var claims = B64(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = "ticketing-waitingroom", aud = "ticketing-webapi", sub = "ticket", room = "demo", perfs = new[] { 1, 2 },
            iat = now.ToUnixTimeSeconds(), nbf = now.ToUnixTimeSeconds(), exp = now.AddHours(1).ToUnixTimeSeconds(), jti = Guid.NewGuid().ToString("N"),
        }));
        var input = header + "." + claims;
        return input + "." + B64(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class StaticHandler(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
