using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Ticketing.Jwks;

namespace Ticketing.Infrastructure.AccessPasses;

/// <summary>
/// Checks WaitingRoom access passes (JWS compact, ES256) with the WaitingRoom's public keys alone, fetched from its
/// JWKS and cached. Only <c>alg</c> ES256 is accepted (never <c>none</c> or HMAC), the <c>kid</c> must be published,
/// <c>exp</c>/<c>nbf</c> are checked against the injected clock with a small skew, then <c>iss</c>, <c>aud</c> and
/// that <c>perfs</c> covers the performance. A pass that verified once is remembered (by its exact text, until it
/// expires), so a repeat costs a dictionary lookup. BCL only; safe for concurrent use; register as a singleton.
/// </summary>
/// <remarks>
/// The JWKS fetch degrades instead of failing: a fetch that times out, answers an error status or a body that is not a
/// key set leaves the known keys in use and makes the next attempt wait (exponential back-off from
/// <see cref="AccessPassVerifierOptions.JwksRetryMinDelay"/> to <see cref="AccessPassVerifierOptions.JwksRetryMaxDelay"/>).
/// One fetch at a time serves every request that waits for it (single flight), and it is never cancelled by one of
/// them. Only when no key is known at all is a pass answered <see cref="AccessPassError.KeysUnavailable"/> (503).
/// </remarks>
internal sealed class AccessPassVerifier(HttpClient http, AccessPassVerifierOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, AccessPassClaims> _verified = new(StringComparer.Ordinal);
    private readonly JwksKeyRing _keys = new(
        http,
        new JwksFetchSettings(options.JwksUrl, options.JwksTimeout, options.JwksMaxAge, options.MinJwksRefreshInterval, options.JwksRetryMinDelay, options.JwksRetryMaxDelay),
        time);

    /// <summary>How many of the waiting room's keys this instance knows (fetched earlier).</summary>
    public int KnownKeyCount => _keys.KnownKeyCount;

    /// <summary>JWKS fetches that failed in a row (0 after a success).</summary>
    public int ConsecutiveFailures => _keys.ConsecutiveFailures;

    /// <summary>
    /// Fetches the JWKS now when no key is known yet (readiness) and the back-off allows it; true when keys are known.
    /// What it fetches is kept, as a fetch for an unknown kid would keep it.
    /// </summary>
    public Task<bool> EnsureKeysAsync(CancellationToken cancellationToken) => _keys.EnsureKeysAsync(cancellationToken);

    public async ValueTask<AccessPassResult> VerifyAsync(string? token, long performanceId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            return AccessPassResult.Fail(AccessPassError.Missing);
        }

        var now = time.GetUtcNow();
        if (_verified.TryGetValue(token, out var cached))
        {
            return CheckTimeAndPerformance(cached, performanceId, now);
        }

        if (token.Length > options.MaxTokenLength)
        {
            return AccessPassResult.Fail(AccessPassError.Malformed);
        }

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot <= firstDot + 1 || secondDot == token.Length - 1 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return AccessPassResult.Fail(AccessPassError.Malformed);
        }

        var header = ReadHeader(token.AsSpan(0, firstDot), out var kid);
        if (header != AccessPassError.None)
        {
            return AccessPassResult.Fail(header);
        }

        JwksKey? key;
        try
        {
            key = await _keys.FindAsync(kid!, now, cancellationToken).ConfigureAwait(false);
        }
        catch (JwksUnavailableException)
        {
            return AccessPassResult.Fail(AccessPassError.KeysUnavailable);
        }

        if (key is null)
        {
            return AccessPassResult.Fail(AccessPassError.UnknownKey);
        }

        Span<byte> signature = stackalloc byte[66];
        if (!IsBase64Url(token.AsSpan(secondDot + 1)) || !Base64Url.TryDecodeFromChars(token.AsSpan(secondDot + 1), signature, out var signatureLength) || signatureLength != 64)
        {
            return AccessPassResult.Fail(AccessPassError.BadSignature);
        }

        var signed = token.AsSpan(0, secondDot);
        var signedBytes = ArrayPool<byte>.Shared.Rent(signed.Length);
        try
        {
            var length = Encoding.ASCII.GetBytes(signed, signedBytes);
            if (!key.Verify(signedBytes.AsSpan(0, length), signature[..64]))
            {
                return AccessPassResult.Fail(AccessPassError.BadSignature);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signedBytes);
        }

        var claimsError = ReadClaims(token.AsSpan(firstDot + 1, secondDot - firstDot - 1), out var claims);
        if (claimsError != AccessPassError.None)
        {
            return AccessPassResult.Fail(claimsError);
        }

        var result = CheckTimeAndPerformance(claims!, performanceId, now);
        if (result.Error is AccessPassError.None or AccessPassError.WrongPerformance)
        {
            Remember(token, claims!, now);
        }

        return result;
    }

    private AccessPassResult CheckTimeAndPerformance(AccessPassClaims claims, long performanceId, DateTimeOffset now)
    {
        if (now - options.ClockSkew >= claims.ExpiresAt)
        {
            return AccessPassResult.Fail(AccessPassError.Expired);
        }

        if (now + options.ClockSkew < claims.NotBefore)
        {
            return AccessPassResult.Fail(AccessPassError.NotYetValid);
        }

        return claims.Covers(performanceId) ? AccessPassResult.Ok(claims) : AccessPassResult.Fail(AccessPassError.WrongPerformance);
    }

    private void Remember(string token, AccessPassClaims claims, DateTimeOffset now)
    {
        if (_verified.Count >= options.MaxCachedPasses)
        {
            foreach (var pair in _verified)
            {
                if (now - options.ClockSkew >= pair.Value.ExpiresAt)
                {
                    _verified.TryRemove(pair.Key, out _);
                }
            }

            if (_verified.Count >= options.MaxCachedPasses)
            {
                _verified.Clear();
            }
        }

        _verified[token] = claims;
    }

    private static AccessPassError ReadHeader(ReadOnlySpan<char> segment, out string? kid)
    {
        kid = null;
        var json = Decode(segment);
        if (json is null)
        {
            return AccessPassError.Malformed;
        }

        string? alg = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return AccessPassError.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "alg" when reader.TokenType == JsonTokenType.String:
                        alg = reader.GetString();
                        break;
                    case "kid" when reader.TokenType == JsonTokenType.String:
                        kid = reader.GetString();
                        break;
                    case "crit":
                        // No critical extensions are understood, so a pass that declares any is refused.
                        return AccessPassError.Malformed;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return AccessPassError.Malformed;
        }

        if (alg != "ES256")
        {
            // "none", HS256 (key confusion) and anything else: not a signature we accept.
            return alg is null ? AccessPassError.Malformed : AccessPassError.BadSignature;
        }

        return string.IsNullOrEmpty(kid) ? AccessPassError.UnknownKey : AccessPassError.None;
    }

    private AccessPassError ReadClaims(ReadOnlySpan<char> segment, out AccessPassClaims? claims)
    {
        claims = null;
        var json = Decode(segment);
        if (json is null)
        {
            return AccessPassError.Malformed;
        }

        string? iss = null, sub = null, room = null, jti = null;
        var audienceOk = false;
        var sawAudience = false;
        long? exp = null, nbf = null;
        List<long>? perfs = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return AccessPassError.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "iss" when reader.TokenType == JsonTokenType.String:
                        iss = reader.GetString();
                        break;
                    case "sub" when reader.TokenType == JsonTokenType.String:
                        sub = reader.GetString();
                        break;
                    case "room" when reader.TokenType == JsonTokenType.String:
                        room = reader.GetString();
                        break;
                    case "jti" when reader.TokenType == JsonTokenType.String:
                        jti = reader.GetString();
                        break;
                    case "exp" when reader.TokenType == JsonTokenType.Number:
                        exp = reader.GetInt64();
                        break;
                    case "nbf" when reader.TokenType == JsonTokenType.Number:
                        nbf = reader.GetInt64();
                        break;
                    case "aud" when reader.TokenType == JsonTokenType.String:
                        sawAudience = true;
                        audienceOk = reader.ValueTextEquals(options.Audience);
                        break;
                    case "aud" when reader.TokenType == JsonTokenType.StartArray:
                        sawAudience = true;
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            audienceOk |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(options.Audience);
                        }

                        break;
                    case "perfs" when reader.TokenType == JsonTokenType.StartArray:
                        perfs = [];
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id))
                            {
                                return AccessPassError.Malformed;
                            }

                            perfs.Add(id);
                        }

                        break;
                    case "iss" or "sub" or "room" or "jti" or "exp" or "nbf" or "aud" or "perfs":
                        return AccessPassError.Malformed;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return AccessPassError.Malformed;
        }

        if (iss is null || sub is null || room is null || jti is null || exp is null || perfs is null || !sawAudience)
        {
            return AccessPassError.Malformed;
        }

        if (iss != options.Issuer)
        {
            return AccessPassError.WrongIssuer;
        }

        if (!audienceOk)
        {
            return AccessPassError.WrongAudience;
        }

        if (exp.Value is < 0 or > 253402300799 || nbf is < 0 or > 253402300799)
        {
            return AccessPassError.Malformed;
        }

        claims = new AccessPassClaims(
            jti,
            sub,
            room,
            [.. perfs],
            DateTimeOffset.FromUnixTimeSeconds(exp.Value),
            DateTimeOffset.FromUnixTimeSeconds(nbf ?? 0));
        return AccessPassError.None;
    }

    /// <summary><see cref="Base64Url.TryDecodeFromChars(ReadOnlySpan{char}, Span{byte}, out int)"/> throws on characters outside the alphabet, so they are checked first.</summary>
    private static bool IsBase64Url(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[]? Decode(ReadOnlySpan<char> segment)
    {
        if (!IsBase64Url(segment))
        {
            return null;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        return Base64Url.TryDecodeFromChars(segment, buffer, out var written) ? buffer.AsSpan(0, written).ToArray() : null;
    }
}
