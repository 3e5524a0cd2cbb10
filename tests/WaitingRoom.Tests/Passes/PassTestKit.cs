using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ticketing.WaitingRoom.Passes;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Passes;

/// <summary>A signing key ring, a pass issuer and a JWKS endpoint stub for verifier tests.</summary>
internal sealed class PassTestKit : IDisposable
{
    public const string Issuer = "ticketing-waitingroom";
    public const string Audience = "ticketing-webapi";

    public PassTestKit()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Ring = SigningKeyRing.FromPem(key.ExportPkcs8PrivateKeyPem(), [], Clock, TimeSpan.FromHours(1));
        Issuer_ = new PassIssuer(Ring, Issuer, Audience);
        Handler = new JwksHandler(this);
    }

    public ManualTimeProvider Clock { get; } = new();

    public SigningKeyRing Ring { get; }

    public PassIssuer Issuer_ { get; }

    public JwksHandler Handler { get; }

    public string Issue(string room = "sale", long[]? perfs = null, int lifetimeSeconds = 300, string? jti = null)
    {
        var now = Clock.NowMs;
        return Issuer_.Issue(room, perfs ?? [11, 12], "ticket-id-0000000000000", now, now + (lifetimeSeconds * 1000L), jti ?? Guid.NewGuid().ToString("N"));
    }

    public string JwksJson()
    {
        var sb = new StringBuilder("{\"keys\":[");
        var first = true;
        foreach (var key in Ring.PublishedKeys())
        {
            sb.Append(first ? string.Empty : ",");
            sb.Append("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"").Append(key.X).Append("\",\"y\":\"").Append(key.Y)
                .Append("\",\"kid\":\"").Append(key.Kid).Append("\",\"use\":\"sig\",\"alg\":\"ES256\"}");
            first = false;
        }

        return sb.Append("]}").ToString();
    }

    public void Dispose() => Ring.Dispose();

    internal sealed class JwksHandler(PassTestKit kit) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        public bool Fail { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            if (Fail)
            {
                throw new HttpRequestException("JWKS endpoint down");
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(kit.JwksJson(), Encoding.UTF8, "application/json") });
        }
    }
}
