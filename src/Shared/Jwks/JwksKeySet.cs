using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ticketing.Jwks;

/// <summary>An ES256 public key from the JWKS. ECDsa instances are not documented as thread-safe, so use is serialized.</summary>
internal sealed class JwksKey(ECDsa key) : IDisposable
{
    private readonly Lock _sync = new();

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        lock (_sync)
        {
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    public void Dispose() => key.Dispose();
}

/// <summary>Parses a JWK Set, keeping only EC P-256 signing keys usable with ES256.</summary>
internal static class JwksKeySet
{
    public static FrozenDictionary<string, JwksKey> Parse(ReadOnlySpan<byte> json)
    {
        var keys = new Dictionary<string, JwksKey>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        using var doc = JsonDocument.ParseValue(ref reader);
        if (doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return keys.ToFrozenDictionary(StringComparer.Ordinal);
        }

        foreach (var jwk in array.EnumerateArray())
        {
            if (jwk.ValueKind != JsonValueKind.Object
                || Text(jwk, "kty") != "EC"
                || Text(jwk, "crv") != "P-256"
                || Text(jwk, "kid") is not { Length: > 0 } kid
                || (Text(jwk, "alg") is { } alg && alg != "ES256")
                || (Text(jwk, "use") is { } use && use != "sig")
                || Text(jwk, "x") is not { } x
                || Text(jwk, "y") is not { } y)
            {
                continue;
            }

            byte[] xBytes;
            byte[] yBytes;
            try
            {
                xBytes = Base64Url.DecodeFromChars(x);
                yBytes = Base64Url.DecodeFromChars(y);
            }
            catch (FormatException)
            {
                continue;
            }

            if (xBytes.Length != 32 || yBytes.Length != 32)
            {
                continue;
            }

            ECDsa ecdsa;
            try
            {
                ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = xBytes, Y = yBytes } });
            }
            catch (CryptographicException)
            {
                // A point not on the curve: skip this key rather than trusting the whole set less.
                continue;
            }

            keys[kid] = new JwksKey(ecdsa);
        }

        return keys.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
