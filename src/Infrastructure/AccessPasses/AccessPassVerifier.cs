using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Ticketing.Infrastructure.AccessPasses;

/// <summary>
/// Checks WaitingRoom access passes (JWS compact, ES256) with the WaitingRoom's public keys alone, fetched from its
/// JWKS and cached. Only <c>alg</c> ES256 is accepted (never <c>none</c> or HMAC), the <c>kid</c> must be published,
/// <c>exp</c>/<c>nbf</c> are checked against the injected clock with a small skew, then <c>iss</c>, <c>aud</c> and
/// that <c>perfs</c> covers the performance. A pass that verified once is remembered (by its exact text, until it
/// expires), so a repeat costs a dictionary lookup. BCL only; safe for concurrent use; register as a singleton.
/// </summary>
/// <remarks>
/// When the JWKS cannot be fetched and the kid is not known, the <see cref="HttpRequestException"/> propagates so the
/// caller can answer 503 (dependency down) instead of blaming the fan's pass.
/// </remarks>
internal sealed class AccessPassVerifier(HttpClient http, AccessPassVerifierOptions options, TimeProvider time)
{
    private static readonly FrozenDictionary<string, JwksKey> NoKeys = FrozenDictionary<string, JwksKey>.Empty;

    private readonly ConcurrentDictionary<string, AccessPassClaims> _verified = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private FrozenDictionary<string, JwksKey> _keys = NoKeys;
    private long _lastFetchTicks;

    /// <summary>How many of the waiting room's keys this instance knows (fetched earlier).</summary>
    public int KnownKeyCount => _keys.Count;

    /// <summary>
    /// Fetches the JWKS now when no key is known yet (readiness); true when keys are known or the JWKS answered. What
    /// it fetches is kept, as a fetch for an unknown kid would keep it.
    /// </summary>
    public async Task<bool> EnsureKeysAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_keys.Count > 0)
            {
                return true;
            }

            byte[] json;
            try
            {
                json = await http.GetByteArrayAsync(options.JwksUrl, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false; // the client's own timeout
            }

            try
            {
                _keys = JwksKeySet.Parse(json);
            }
            catch (JsonException)
            {
                return false;
            }

            Volatile.Write(ref _lastFetchTicks, time.GetUtcNow().UtcTicks);
            return true;
        }
        finally
        {
            _refresh.Release();
        }
    }

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

        var key = await FindKeyAsync(kid!, now, cancellationToken).ConfigureAwait(false);
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

    private async ValueTask<JwksKey?> FindKeyAsync(string kid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowTicks = now.UtcTicks;
        var keys = _keys;
        var stale = nowTicks - Volatile.Read(ref _lastFetchTicks) > options.JwksMaxAge.Ticks;
        if (keys.TryGetValue(kid, out var key) && !stale)
        {
            return key;
        }

        if (!stale && nowTicks - Volatile.Read(ref _lastFetchTicks) < options.MinJwksRefreshInterval.Ticks)
        {
            return null;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            var last = Volatile.Read(ref _lastFetchTicks);
            if (nowTicks - last >= options.MinJwksRefreshInterval.Ticks || nowTicks - last > options.JwksMaxAge.Ticks)
            {
                byte[] json;
                try
                {
                    json = await http.GetByteArrayAsync(options.JwksUrl, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException) when (key is not null)
                {
                    // A routine refresh failed but this kid is already trusted: keep it and try again after the interval.
                    Volatile.Write(ref _lastFetchTicks, nowTicks - options.JwksMaxAge.Ticks + options.MinJwksRefreshInterval.Ticks);
                    return key;
                }

                _keys = JwksKeySet.Parse(json);
                Volatile.Write(ref _lastFetchTicks, nowTicks);
            }
        }
        finally
        {
            _refresh.Release();
        }

        return _keys.TryGetValue(kid, out key) ? key : null;
    }
}
