using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

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
/// The JWKS fetch degrades instead of failing, as the WebApi's fetch of the pass keys does: a fetch that times out,
/// answers an error status or a body that is not a key set leaves the known keys in use and makes the next attempt
/// wait (exponential back-off); one fetch at a time serves every join that waits for it (single flight) and no join
/// cancels it. Only when no key is known at all is a join answered <see cref="FanIdentityError.KeysUnavailable"/>.
/// </remarks>
internal sealed class FanIdentityVerifier(HttpClient http, FanIdentityOptions options, TimeProvider time)
{
    private readonly Lock _flight = new();
    private Task? _fetch;
    private FrozenDictionary<string, ECDsa> _keys = FrozenDictionary<string, ECDsa>.Empty;
    private long _lastFetchTicks;
    private long _nextAttemptTicks;
    private int _failures;

    /// <summary>JWKS fetches that failed in a row (0 after a success).</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    public int KnownKeyCount => _keys.Count;

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
        ECDsa? key;
        try
        {
            key = await FindKeyAsync(kid, now, cancellationToken).ConfigureAwait(false);
        }
        catch (KeysUnavailableException)
        {
            return (FanIdentityError.KeysUnavailable, Guid.Empty);
        }

        if (key is null || !Verify(key, Encoding.ASCII.GetBytes(token.AsSpan(0, parts[0].Length + 1 + parts[1].Length).ToString()), signature))
        {
            return (FanIdentityError.Invalid, Guid.Empty);
        }

        return ReadClaims(payload, now);
    }

    private static bool Verify(ECDsa key, byte[] data, byte[] signature)
    {
        // ECDsa instances are not documented as thread-safe.
        lock (key)
        {
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
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

    private async ValueTask<ECDsa?> FindKeyAsync(string kid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowTicks = now.UtcTicks;
        var keys = _keys;
        var sinceFetch = nowTicks - Volatile.Read(ref _lastFetchTicks);
        var stale = sinceFetch > options.JwksMaxAge.Ticks;
        var known = keys.TryGetValue(kid, out var key);
        if (known && !stale)
        {
            return key;
        }

        // An unknown kid fetches again at most once per interval, and after a failure nothing is fetched before the back-off has passed.
        var mayFetch = (stale || keys.Count == 0 || sinceFetch >= options.MinJwksRefreshInterval.Ticks)
            && nowTicks >= Volatile.Read(ref _nextAttemptTicks);
        if (mayFetch)
        {
            await RefreshOnceAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            keys = _keys;
            known = keys.TryGetValue(kid, out key);
        }

        if (known)
        {
            // Fresh, or stale because the WebApi cannot be reached: a trusted key stays trusted until a fetch that works says otherwise.
            return key;
        }

        return keys.Count == 0 ? throw new KeysUnavailableException() : null;
    }

    /// <summary>The fetch in flight, or a new one: every join that needs keys now waits for the same attempt.</summary>
    private Task RefreshOnceAsync()
    {
        lock (_flight)
        {
            if (_fetch is { IsCompleted: false } running)
            {
                return running;
            }

            _fetch = Task.Run(RefreshAsync);
            return _fetch;
        }
    }

    private async Task RefreshAsync()
    {
        FrozenDictionary<string, ECDsa>? fetched = null;
        using (var timeout = new CancellationTokenSource(options.JwksTimeout))
        {
            try
            {
                var json = await http.GetByteArrayAsync(options.JwksUrl, timeout.Token).ConfigureAwait(false);
                fetched = ParseKeySet(json);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or IOException)
            {
                // Unreachable, an error status, a timeout, or a body that is not JSON: the known keys stay in use.
                fetched = null;
            }
        }

        var nowTicks = time.GetUtcNow().UtcTicks;
        if (fetched is { Count: > 0 })
        {
            _keys = fetched;
            Volatile.Write(ref _lastFetchTicks, nowTicks);
            Volatile.Write(ref _failures, 0);
            Volatile.Write(ref _nextAttemptTicks, 0);
            return;
        }

        // A key set without a single usable key is a broken answer, not "trust nothing any more".
        var failures = Interlocked.Increment(ref _failures);
        var delay = options.JwksRetryMinDelay.Ticks * (1L << Math.Min(failures - 1, 20));
        Volatile.Write(ref _nextAttemptTicks, nowTicks + Math.Min(delay, options.JwksRetryMaxDelay.Ticks));
    }

    /// <summary>The EC P-256 signing keys of a JWK Set, by kid; anything else in it is skipped.</summary>
    internal static FrozenDictionary<string, ECDsa> ParseKeySet(byte[] json)
    {
        var keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return keys.ToFrozenDictionary(StringComparer.Ordinal);
        }

        foreach (var jwk in array.EnumerateArray())
        {
            if (jwk.ValueKind != JsonValueKind.Object || Text(jwk, "kty") != "EC" || Text(jwk, "crv") != "P-256"
                || Text(jwk, "kid") is not { Length: > 0 } kid
                || (Text(jwk, "alg") is { } alg && alg != "ES256")
                || (Text(jwk, "use") is { } use && use != "sig")
                || Text(jwk, "x") is not { } x || Decode(x) is not { Length: 32 } xBytes
                || Text(jwk, "y") is not { } y || Decode(y) is not { Length: 32 } yBytes)
            {
                continue;
            }

            try
            {
                keys[kid] = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = xBytes, Y = yBytes } });
            }
            catch (CryptographicException)
            {
                // A point not on the curve: skip this key.
            }
        }

        return keys.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed class KeysUnavailableException() : Exception("The WebApi's fan-identity keys are not known and could not be fetched.");
}
