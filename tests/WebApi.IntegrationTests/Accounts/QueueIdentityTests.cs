using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Accounts;

/// <summary>The fan identity a signed-in fan shows the waiting room: an ES256 JWS its own JWKS checks.</summary>
public sealed class QueueIdentityTests : IDisposable
{
    private readonly BookingApiFactory _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task A_signed_in_fan_gets_a_short_lived_identity_naming_the_account_for_the_waiting_room()
    {
        var fan = await _api.FanAsync();
        var account = (await fan.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetGuid();

        var response = await fan.PostAsync("/api/accounts/me/queue-identity", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var identity = body.GetProperty("identity").GetString()!;
        var parts = identity.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Decode(parts[0]));
        using var claims = JsonDocument.Parse(Decode(parts[1]));
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal(account.ToString("D"), claims.RootElement.GetProperty("sub").GetString());
        Assert.Equal("waiting-room", claims.RootElement.GetProperty("aud").GetString());
        Assert.Equal("ticketing-webapi", claims.RootElement.GetProperty("iss").GetString());
        Assert.False(string.IsNullOrEmpty(claims.RootElement.GetProperty("jti").GetString()));
        var now = _api.Clock.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(now, claims.RootElement.GetProperty("iat").GetInt64());
        Assert.Equal(now + 300, claims.RootElement.GetProperty("exp").GetInt64());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now + 300), body.GetProperty("expiresAt").GetDateTimeOffset());

        // Its own JWKS checks the signature (and only the identity keys are there, not the waiting room's pass keys).
        var jwks = await _api.CreateClient().GetAsync("/.well-known/fan-identity/jwks.json");
        Assert.Equal("application/jwk-set+json", jwks.Content.Headers.ContentType?.MediaType);
        var keys = (await jwks.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keys");
        var key = keys.EnumerateArray().Single(k => k.GetProperty("kid").GetString() == header.RootElement.GetProperty("kid").GetString());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Decode(key.GetProperty("x").GetString()!), Y = Decode(key.GetProperty("y").GetString()!) },
        });
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task Two_fans_get_identities_for_their_own_accounts_and_anonymous_callers_get_none()
    {
        var first = await _api.FanAsync();
        var second = await _api.FanAsync();

        var a = await SubjectAsync(first);
        var b = await SubjectAsync(second);

        Assert.NotEqual(a, b);
        var anonymous = await _api.CreateClient().PostAsync("/api/accounts/me/queue-identity", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_development_key_is_generated_once_and_kept_across_restarts()
    {
        // Development only: elsewhere an unset key refuses the start (DemoSettingsTests).
        using var first = new BookingApiFactory().InEnvironment("Development").With("FanIdentity:PrivateKeyPem", null);
        var kid = await KidAsync(first);
        using var restarted = new BookingApiFactory(folder: first.Folder, clock: first.Clock).InEnvironment("Development").With("FanIdentity:PrivateKeyPem", null);

        Assert.Equal(kid, await KidAsync(restarted));
        Assert.True(File.Exists(Path.Combine(first.Folder, "keys", "fan-identity.pem")));
    }

    private static async Task<string> KidAsync(BookingApiFactory api) =>
        (await api.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/fan-identity/jwks.json")).GetProperty("keys")[0].GetProperty("kid").GetString()!;

    private static async Task<string> SubjectAsync(HttpClient fan)
    {
        var identity = (await (await fan.PostAsync("/api/accounts/me/queue-identity", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("identity").GetString()!;
        using var claims = JsonDocument.Parse(Decode(identity.Split('.')[1]));
        return claims.RootElement.GetProperty("sub").GetString()!;
    }

    private static byte[] Decode(string segment)
    {
        var s = segment.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
