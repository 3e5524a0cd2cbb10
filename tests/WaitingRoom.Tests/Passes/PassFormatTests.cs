using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Ticketing.Infrastructure.AccessPasses;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Passes;

public sealed class PassFormatTests
{
    private static JsonElement Part(string token, int index)
    {
        using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[index]));
        return doc.RootElement.Clone();
    }

    private static async Task<(string Pass, string Ticket)> AdmitAsync(WaitingRoomFactory app, string room = "sale")
    {
        using var fan = app.Fan();
        var join = await Json.ReadAsync(await fan.PostAsync($"/api/rooms/{room}/join", null));
        var ticket = join.GetProperty("ticket").GetString()!;
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/status");
        request.Headers.Add("X-Queue-Ticket", ticket);
        var status = await Json.ReadAsync(await fan.SendAsync(request));
        Assert.Equal("admitted", status.GetProperty("state").GetString());
        return (status.GetProperty("pass").GetString()!, ticket);
    }

    [Fact]
    public async Task Pass_is_an_es256_jws_with_kid_and_the_documented_claims()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", new { identity = "anonymous", performanceIds = new[] { 11L, 12L }, ratePerSecond = 100, passLifetimeSeconds = 240 });
        var (pass, ticket) = await AdmitAsync(app);
        var (second, _) = await AdmitAsync(app);

        var header = Part(pass, 0);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        var kid = header.GetProperty("kid").GetString();
        Assert.Equal(64, Base64Url.DecodeFromChars(pass.Split('.')[2]).Length);

        var claims = Part(pass, 1);
        Assert.Equal("ticketing-waitingroom", claims.GetProperty("iss").GetString());
        Assert.Equal("ticketing-webapi", claims.GetProperty("aud").GetString());
        Assert.Equal(ticket[..22], claims.GetProperty("sub").GetString());
        Assert.Equal("sale", claims.GetProperty("room").GetString());
        Assert.Equal([11L, 12L], claims.GetProperty("perfs").EnumerateArray().Select(e => e.GetInt64()));
        var iat = claims.GetProperty("iat").GetInt64();
        Assert.Equal(app.Clock.GetUtcNow().AddSeconds(-1).ToUnixTimeSeconds(), iat);
        Assert.Equal(iat, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(iat + 240, claims.GetProperty("exp").GetInt64());
        Assert.NotEqual(claims.GetProperty("jti").GetString(), Part(second, 1).GetProperty("jti").GetString());

        using var client = app.CreateClient();
        var jwks = await Json.ReadAsync(await client.GetAsync("/.well-known/jwks.json"));
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal(kid, key.GetProperty("kid").GetString());
        Assert.Equal(32, Base64Url.DecodeFromChars(key.GetProperty("x").GetString()!).Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(key.GetProperty("y").GetString()!).Length);
        Assert.False(key.TryGetProperty("d", out _), "the private part must never be published");
    }

    [Fact]
    public async Task Npm_jose_verifies_a_pass_with_the_published_jwks()
    {
        await Node.EnsurePackagesAsync();
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", new { identity = "anonymous", performanceIds = new[] { 7L }, ratePerSecond = 100 });
        var (pass, ticket) = await AdmitAsync(app);
        using var client = app.CreateClient();
        var jwksFile = Path.Combine(Path.GetTempPath(), "wr-jwks-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(jwksFile, await client.GetStringAsync("/.well-known/jwks.json"));
        try
        {
            var now = app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (code, output) = await Node.RunAsync("node", ["verify-pass.mjs", jwksFile, pass, "ticketing-waitingroom", "ticketing-webapi", now], TimeSpan.FromSeconds(60));
            Assert.True(code == 0, output);
            using var ok = JsonDocument.Parse(output);
            Assert.True(ok.RootElement.GetProperty("ok").GetBoolean(), output);
            Assert.Equal(ticket[..22], ok.RootElement.GetProperty("payload").GetProperty("sub").GetString());
            Assert.Equal(7, ok.RootElement.GetProperty("payload").GetProperty("perfs")[0].GetInt64());
            Assert.Equal("ES256", ok.RootElement.GetProperty("protectedHeader").GetProperty("alg").GetString());

            var parts = pass.Split('.');
            var sig = Base64Url.DecodeFromChars(parts[2]);
            sig[0] ^= 0xFF;
            var tampered = parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(sig);
            (code, output) = await Node.RunAsync("node", ["verify-pass.mjs", jwksFile, tampered, "ticketing-waitingroom", "ticketing-webapi", now], TimeSpan.FromSeconds(60));
            using var bad = JsonDocument.Parse(output);
            Assert.False(bad.RootElement.GetProperty("ok").GetBoolean(), output);
            Assert.Equal("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", bad.RootElement.GetProperty("code").GetString());
        }
        finally
        {
            File.Delete(jwksFile);
        }
    }

    [Fact]
    public async Task Rotation_signs_with_the_new_key_and_keeps_the_old_one_published_until_its_passes_expired()
    {
        using var app = new WaitingRoomFactory(new() { ["WaitingRoom:Pass:MaxLifetimeSeconds"] = "600" });
        await app.CreateRoomAsync("sale", new { identity = "anonymous", performanceIds = new[] { 11L }, ratePerSecond = 100, passLifetimeSeconds = 600 });
        var (before, _) = await AdmitAsync(app);
        var oldKid = Part(before, 0).GetProperty("kid").GetString();

        using var admin = app.Admin();
        var rotation = await Json.ReadAsync(await admin.PostAsync("/api/admin/keys/rotate", null));
        var newKid = rotation.GetProperty("kid").GetString();
        Assert.NotEqual(oldKid, newKid);

        var (after, _) = await AdmitAsync(app);
        Assert.Equal(newKid, Part(after, 0).GetProperty("kid").GetString());

        using var client = app.CreateClient();
        var kids = (await Json.ReadAsync(await client.GetAsync("/.well-known/jwks.json"))).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Equal(2, kids.Count);
        Assert.Contains(oldKid, kids);

        var verifier = new AccessPassVerifier(app.CreateClient(), new AccessPassVerifierOptions { JwksUrl = new Uri("http://localhost/.well-known/jwks.json") }, app.Clock);
        Assert.True((await verifier.VerifyAsync(before, 11)).IsValid);
        Assert.True((await verifier.VerifyAsync(after, 11)).IsValid);

        // Max lifetime (600 s) plus a minute later, every pass of the old key has expired: it is no longer published.
        app.Clock.Advance(TimeSpan.FromSeconds(661));
        kids = (await Json.ReadAsync(await client.GetAsync("/.well-known/jwks.json"))).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Equal([newKid], kids);
    }

    [Fact]
    public async Task Development_key_is_generated_once_and_reused_from_the_key_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wr-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            string? firstKid;
            using (var first = new WaitingRoomFactory(keyDirectory: folder))
            {
                using var client = first.CreateClient();
                firstKid = (await Json.ReadAsync(await client.GetAsync("/.well-known/jwks.json"))).GetProperty("keys")[0].GetProperty("kid").GetString();
            }

            Assert.True(File.Exists(Path.Combine(folder, "signing-keys.json")));
            using var second = new WaitingRoomFactory(keyDirectory: folder);
            using var again = second.CreateClient();
            Assert.Equal(firstKid, (await Json.ReadAsync(await again.GetAsync("/.well-known/jwks.json"))).GetProperty("keys")[0].GetProperty("kid").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Production_key_comes_from_configuration_and_previous_public_keys_stay_published()
    {
        using var current = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var previous = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var app = new WaitingRoomFactory(new()
        {
            ["WaitingRoom:Signing:PrivateKeyPem"] = current.ExportPkcs8PrivateKeyPem(),
            ["WaitingRoom:Signing:PreviousPublicKeysPem:0"] = previous.ExportSubjectPublicKeyInfoPem(),
        });
        using var client = app.CreateClient();
        var keys = (await Json.ReadAsync(await client.GetAsync("/.well-known/jwks.json"))).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        var x = Base64Url.EncodeToString(current.ExportParameters(false).Q.X);
        Assert.Equal(x, keys[0].GetProperty("x").GetString());
    }
}
