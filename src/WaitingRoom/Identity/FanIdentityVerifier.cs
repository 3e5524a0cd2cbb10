using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Ticketing.Jwks;

namespace Ticketing.WaitingRoom.Identity;

/// <summary>Why a fan identity was refused; <see cref="None"/> means it was accepted.</summary>
internal enum FanIdentityError
{
    None,

    /// <summary>No <c>X-Fan-Identity</c> header (401 <c>identity.required</c>).</summary>
    Missing,

    /// <summary>Malformed, forged, unknown key, wrong issuer or audience (401 <c>identity.invalid</c>).</summary>
    Invalid,

    /// <summary>Past its <c>exp</c> (401 <c>identity.expired</c>).</summary>
    Expired,

    /// <summary>No key of the WebApi is known and none could be fetched (503 with Retry-After).</summary>
    KeysUnavailable,
}

/// <summary>
/// Checks the WebApi's fan identity (JWS compact, ES256, <c>aud</c> = the waiting room) with the WebApi's public keys
/// alone, fetched from its identity JWKS. Only ES256 is accepted, the <c>kid</c> must be published, <c>exp</c> is
/// checked against the injected clock with a small skew, then <c>iss</c> and <c>aud</c>; <c>sub</c> must be an account id.
/// </summary>
/// <remarks>
/// The keys come from a <see cref="JwksKeyRing"/>, as the WebApi's pass keys do: its fetch degrades instead of failing,
/// and only when no key is known at all is a join answered <see cref="FanIdentityError.KeysUnavailable"/>.
/// </remarks>
internal sealed class FanIdentityVerifier(HttpClient http, FanIdentityOptions options, TimeProvider time)
{
    private readonly JwksKeyRing _keys = new(
        http,
        new JwksFetchSettings(options.JwksUrl, options.JwksTimeout, options.JwksMaxAge, options.MinJwksRefreshInterval, options.JwksRetryMinDelay, options.JwksRetryMaxDelay),
        time);

    /// <summary>JWKS fetches that failed in a row (0 after a success).</summary>
    public int ConsecutiveFailures => _keys.ConsecutiveFailures;

    public int KnownKeyCount => _keys.KnownKeyCount;

    public async ValueTask<(FanIdentityError Error, Guid Account)> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (FanIdentityError.Missing, Guid.Empty);
        }

        var parts = token.Length > options.MaxTokenLength ? [] : token.Split('.');
        if (parts.Length != 3 || Decode(parts[0]) is not { } header || Decode(parts[1]) is not { } payload || Decode(parts[2]) is not { Length: 64 } signature)
        {
            return (FanIdentityError.Invalid, Guid.Empty);
        }

        if (ReadKid(header) is not { } kid)
        {
            return (FanIdentityError.Invalid, Guid.Empty);
        }

        var now = time.GetUtcNow();
        JwksKey? key;
        try
        {
            key = await _keys.FindAsync(kid, now, cancellationToken).ConfigureAwait(false);
        }
        catch (JwksUnavailableException)
        {
            return (FanIdentityError.KeysUnavailable, Guid.Empty);
        }

        if (key is null || !key.Verify(Encoding.ASCII.GetBytes(token.AsSpan(0, parts[0].Length + 1 + parts[1].Length).ToString()), signature))
        {
            return (FanIdentityError.Invalid, Guid.Empty);
        }

        return ReadClaims(payload, now);
    }

    private static string? ReadKid(byte[] header)
    {
        try
        {
            using var doc = JsonDocument.Parse(header);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("crit", out _)
                || !root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "ES256"
                || !root.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String)
            {
                // "none", HS256 (key confusion) and anything else: not a signature we accept.
                return null;
            }

            return kid.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private (FanIdentityError, Guid) ReadClaims(byte[] payload, DateTimeOffset now)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Text(root, "iss") != options.Issuer
                || Text(root, "aud") != options.Audience
                || Text(root, "sub") is not { Length: 36 } sub || !Guid.TryParseExact(sub, "D", out var account)
                || !root.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number || !exp.TryGetInt64(out var expSeconds)
                || expSeconds is < 0 or > 253402300799)
            {
                return (FanIdentityError.Invalid, Guid.Empty);
            }

            if (root.TryGetProperty("iat", out var iat) && iat.ValueKind == JsonValueKind.Number && iat.TryGetInt64(out var iatSeconds)
                && iatSeconds is >= 0 and <= 253402300799 && DateTimeOffset.FromUnixTimeSeconds(iatSeconds) > now + options.ClockSkew)
            {
                return (FanIdentityError.Invalid, Guid.Empty);
            }

            return now - options.ClockSkew >= DateTimeOffset.FromUnixTimeSeconds(expSeconds)
                ? (FanIdentityError.Expired, Guid.Empty)
                : (FanIdentityError.None, account);
        }
        catch (JsonException)
        {
            return (FanIdentityError.Invalid, Guid.Empty);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Decode(string segment)
    {
        if (segment.Length == 0)
        {
            return null;
        }

        foreach (var c in segment)
        {
            // Base64Url throws on characters outside its alphabet, so they are checked first.
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return null;
            }
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        return Base64Url.TryDecodeFromChars(segment, buffer, out var written) ? buffer[..written] : null;
    }

}
