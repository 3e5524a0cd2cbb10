using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ticketing.Infrastructure.AccessPasses;
using Ticketing.WaitingRoom.Tests.Passes;

namespace Ticketing.WaitingRoom.Tests.Verifier;

/// <summary>Security tests for the WebApi-side verifier (linked from src/Infrastructure/AccessPasses).</summary>
public sealed class AccessPassVerifierTests : IDisposable
{
    private readonly PassTestKit _kit = new();
    private readonly AccessPassVerifier _verifier;

    public AccessPassVerifierTests()
    {
        _verifier = new AccessPassVerifier(
            new HttpClient(_kit.Handler),
            new AccessPassVerifierOptions { JwksUrl = new Uri("https://waitingroom.test/.well-known/jwks.json") },
            _kit.Clock);
    }

    public void Dispose() => _kit.Dispose();

    private static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static JsonObject Payload(string token) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!.AsObject();

    private static JsonObject Header(string token) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]))!.AsObject();

    [Fact]
    public async Task Valid_pass_is_accepted_with_its_claims()
    {
        var token = _kit.Issue(jti: "jti-1");
        var result = await _verifier.VerifyAsync(token, 12);
        Assert.True(result.IsValid, result.Error.ToString());
        Assert.Equal("jti-1", result.Claims!.Jti);
        Assert.Equal("ticket-id-0000000000000", result.Claims.Subject);
        Assert.Equal("sale", result.Claims.Room);
        Assert.Equal([11L, 12L], result.Claims.PerformanceIds);
        Assert.Equal(_kit.Clock.GetUtcNow().AddMinutes(5), result.Claims.ExpiresAt);
    }

    [Fact]
    public async Task Tampered_payload_is_refused()
    {
        var token = _kit.Issue(perfs: [11]);
        var parts = token.Split('.');
        var payload = Payload(token);
        payload["perfs"] = new JsonArray(11, 99);
        var forged = parts[0] + "." + Segment(payload.ToJsonString()) + "." + parts[2];
        Assert.Equal(AccessPassError.BadSignature, (await _verifier.VerifyAsync(forged, 99)).Error);

        payload = Payload(token);
        payload["exp"] = payload["exp"]!.GetValue<long>() + 86400;
        Assert.Equal(AccessPassError.BadSignature, (await _verifier.VerifyAsync(parts[0] + "." + Segment(payload.ToJsonString()) + "." + parts[2], 11)).Error);
    }

    [Fact]
    public async Task Wrong_signature_is_refused()
    {
        var token = _kit.Issue();
        var parts = token.Split('.');
        var sig = Base64Url.DecodeFromChars(parts[2]);
        sig[10] ^= 0x01;
        Assert.Equal(AccessPassError.BadSignature, (await _verifier.VerifyAsync(parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(sig), 11)).Error);

        // Signed by an attacker's key but claiming the real kid.
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var attackerSig = attacker.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        Assert.Equal(AccessPassError.BadSignature, (await _verifier.VerifyAsync(parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(attackerSig), 11)).Error);

        // A DER signature (not JOSE r||s) is not accepted either.
        var der = attacker.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.Equal(AccessPassError.BadSignature, (await _verifier.VerifyAsync(parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(der), 11)).Error);
    }

    [Fact]
    public async Task Alg_none_and_hs256_key_confusion_are_refused()
    {
        var token = _kit.Issue();
        var parts = token.Split('.');
        var kid = Header(token)["kid"]!.GetValue<string>();

        var none = Segment("{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}");
        Assert.False((await _verifier.VerifyAsync(none + "." + parts[1] + ".", 11)).IsValid);
        Assert.Equal(AccessPassError.BadSignature, (await _verifier.VerifyAsync(none + "." + parts[1] + "." + parts[2], 11)).Error);

        // HS256 keyed with the public JWKS text (the classic confusion attack).
        var hs = Segment("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(_kit.JwksJson()), Encoding.ASCII.GetBytes(hs + "." + parts[1]));
        Assert.Equal(AccessPassError.BadSignature, (await _verifier.VerifyAsync(hs + "." + parts[1] + "." + Base64Url.EncodeToString(mac), 11)).Error);

        var noAlg = Segment("{\"kid\":\"" + kid + "\"}");
        Assert.Equal(AccessPassError.Malformed, (await _verifier.VerifyAsync(noAlg + "." + parts[1] + "." + parts[2], 11)).Error);
    }

    [Fact]
    public async Task Unknown_kid_is_refused_and_refreshes_the_jwks_at_most_once_per_interval()
    {
        Assert.True((await _verifier.VerifyAsync(_kit.Issue(), 11)).IsValid);
        Assert.Equal(1, _kit.Handler.Requests);

        var parts = _kit.Issue().Split('.');
        for (var i = 0; i < 5; i++)
        {
            var header = Segment("{\"alg\":\"ES256\",\"kid\":\"forged-" + i + "\",\"typ\":\"JWT\"}");
            Assert.Equal(AccessPassError.UnknownKey, (await _verifier.VerifyAsync(header + "." + parts[1] + "." + parts[2], 11)).Error);
        }

        Assert.Equal(1, _kit.Handler.Requests);

        // After the interval a new key (rotation) is picked up on first sight.
        _kit.Clock.Advance(TimeSpan.FromSeconds(31));
        _kit.Ring.Rotate();
        var rotated = _kit.Issue();
        Assert.True((await _verifier.VerifyAsync(rotated, 11)).IsValid);
        Assert.Equal(2, _kit.Handler.Requests);
        Assert.True((await _verifier.VerifyAsync(string.Join('.', parts), 11)).IsValid, "passes of the retired key stay valid");
    }

    [Fact]
    public async Task Expired_and_not_yet_valid_passes_are_refused_with_a_small_skew()
    {
        var token = _kit.Issue(lifetimeSeconds: 60);
        _kit.Clock.Advance(TimeSpan.FromSeconds(60 + 29));
        Assert.True((await _verifier.VerifyAsync(token, 11)).IsValid);
        _kit.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(AccessPassError.Expired, (await _verifier.VerifyAsync(token, 11)).Error);

        // Issued by a clock that runs two minutes ahead.
        var ahead = new PassTestKit();
        ahead.Clock.Advance(TimeSpan.FromMinutes(2));
        var early = ahead.Issuer_.Issue("sale", [11], "sub", ahead.Clock.NowMs, ahead.Clock.NowMs + 300_000, "j");
        var verifier = new AccessPassVerifier(new HttpClient(ahead.Handler), new AccessPassVerifierOptions(), new Infrastructure.ManualTimeProvider());
        Assert.Equal(AccessPassError.NotYetValid, (await verifier.VerifyAsync(early, 11)).Error);
        ahead.Dispose();
    }

    [Fact]
    public async Task Wrong_issuer_or_audience_is_refused()
    {
        var other = new Ticketing.WaitingRoom.Passes.PassIssuer(_kit.Ring, "someone-else", PassTestKit.Audience);
        var now = _kit.Clock.NowMs;
        Assert.Equal(AccessPassError.WrongIssuer, (await _verifier.VerifyAsync(other.Issue("sale", [11], "s", now, now + 60_000, "j1"), 11)).Error);
        var otherAudience = new Ticketing.WaitingRoom.Passes.PassIssuer(_kit.Ring, PassTestKit.Issuer, "another-api");
        Assert.Equal(AccessPassError.WrongAudience, (await _verifier.VerifyAsync(otherAudience.Issue("sale", [11], "s", now, now + 60_000, "j2"), 11)).Error);
    }

    [Fact]
    public async Task Another_rooms_pass_does_not_open_this_performance()
    {
        var otherRoom = _kit.Issue(room: "other-tour", perfs: [21, 22]);
        Assert.Equal(AccessPassError.WrongPerformance, (await _verifier.VerifyAsync(otherRoom, 11)).Error);
        Assert.True((await _verifier.VerifyAsync(otherRoom, 22)).IsValid);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("!!!.###.$$$")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.")]
    [InlineData("bm90IGpzb24.bm90IGpzb24.c2ln")]
    public async Task Malformed_passes_are_refused_without_throwing(string token)
    {
        var result = await _verifier.VerifyAsync(token, 11);
        Assert.False(result.IsValid);
        Assert.Contains(result.Error, new[] { AccessPassError.Malformed, AccessPassError.BadSignature, AccessPassError.UnknownKey });
    }

    [Fact]
    public async Task Missing_or_oversized_pass_is_refused()
    {
        Assert.Equal(AccessPassError.Missing, (await _verifier.VerifyAsync(null, 11)).Error);
        Assert.Equal(AccessPassError.Missing, (await _verifier.VerifyAsync(string.Empty, 11)).Error);
        Assert.Equal(AccessPassError.Malformed, (await _verifier.VerifyAsync(new string('a', 10_000), 11)).Error);
    }

    [Fact]
    public async Task Claims_without_required_fields_are_malformed_even_when_signed()
    {
        var now = _kit.Clock.NowMs / 1000;
        var header = Segment("{\"alg\":\"ES256\",\"kid\":\"" + _kit.Ring.Current.Kid + "\"}");
        var payload = Segment(JsonSerializer.Serialize(new { iss = PassTestKit.Issuer, aud = PassTestKit.Audience, exp = now + 60 }));
        var input = Encoding.ASCII.GetBytes(header + "." + payload);
        Span<byte> sig = stackalloc byte[64];
        _kit.Ring.Current.Sign(input, sig);
        Assert.Equal(AccessPassError.Malformed, (await _verifier.VerifyAsync(header + "." + payload + "." + Base64Url.EncodeToString(sig), 11)).Error);
    }

    [Fact]
    public async Task A_verified_pass_is_remembered_so_a_repeat_needs_no_crypto_or_network()
    {
        var token = _kit.Issue();
        Assert.True((await _verifier.VerifyAsync(token, 11)).IsValid);
        var requests = _kit.Handler.Requests;
        _kit.Handler.Fail = true;
        _kit.Clock.Advance(TimeSpan.FromMinutes(4));
        var again = await _verifier.VerifyAsync(token, 12);
        Assert.True(again.IsValid);
        Assert.Equal(requests, _kit.Handler.Requests);
        Assert.Equal(AccessPassError.WrongPerformance, (await _verifier.VerifyAsync(token, 13)).Error);
        _kit.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(AccessPassError.Expired, (await _verifier.VerifyAsync(token, 11)).Error);
    }

    [Fact]
    public async Task Jwks_outage_with_no_key_known_answers_keys_unavailable_for_a_503_instead_of_throwing()
    {
        _kit.Handler.Fail = true;
        Assert.Equal(AccessPassError.KeysUnavailable, (await _verifier.VerifyAsync(_kit.Issue(), 11)).Error);
    }
}
