using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ticketing.WaitingRoom.Passes;

namespace Ticketing.WaitingRoom.Gateway;

/// <summary>What the gateway concluded about a pass for one paced performance.</summary>
internal enum PassVerdict
{
    Valid,
    Required,
    Invalid,
    Expired,
    WrongRoom,
}

/// <summary>The claims the gateway needs from a pass that verified.</summary>
internal sealed record VerifiedPass(string Room, long[] PerformanceIds, long NotBeforeSeconds, long ExpiresAtSeconds);

/// <summary>
/// Checks passes at the gateway with the WaitingRoom's own key ring (no JWKS fetch): ES256 only, a published kid, the
/// signature, iss and aud, then on every call exp and nbf against the injected clock, the room and the performance.
/// A pass that verified is remembered by its exact text until it expires, so a fan's next calls cost one dictionary
/// lookup by span (no string, no decoding). Safe for concurrent use; a singleton.
/// </summary>
internal sealed class GatewayPassVerifier(SigningKeyRing keys, TimeProvider time, IOptions<WaitingRoomOptions> options)
{
    public const int MaxPassLength = 4096;
    private const int MaxCachedPasses = 200_000;
    private static readonly TimeSpan NotBeforeSkew = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, VerifiedPass> _verified = new(StringComparer.Ordinal);
    private readonly byte[] _issuer = Encoding.UTF8.GetBytes(options.Value.Pass.Issuer);
    private readonly byte[] _audience = Encoding.UTF8.GetBytes(options.Value.Pass.Audience);

    /// <summary>
    /// Checks <paramref name="pass"/> for <paramref name="performanceId"/>, paced by <paramref name="rooms"/>. When valid,
    /// <paramref name="passText"/> is the pass as a string (the cached instance when known; allocated once otherwise).
    /// </summary>
    public PassVerdict Check(ReadOnlySpan<char> pass, string? passString, long performanceId, PacingRoom[] rooms, out string? passText)
    {
        passText = null;
        if (pass.IsEmpty)
        {
            return PassVerdict.Required;
        }

        var lookup = _verified.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(pass, out var known, out var claims))
        {
            if (pass.Length > MaxPassLength)
            {
                return PassVerdict.Invalid;
            }

            claims = Verify(pass);
            if (claims is null)
            {
                return PassVerdict.Invalid;
            }

            known = passString ?? pass.ToString();
            Remember(known, claims);
        }

        var now = time.GetUtcNow();
        if (now.ToUnixTimeSeconds() >= claims.ExpiresAtSeconds)
        {
            return PassVerdict.Expired;
        }

        if ((now + NotBeforeSkew).ToUnixTimeSeconds() < claims.NotBeforeSeconds)
        {
            return PassVerdict.Invalid;
        }

        if (Array.IndexOf(claims.PerformanceIds, performanceId) < 0 || !Paces(rooms, claims.Room))
        {
            return PassVerdict.WrongRoom;
        }

        passText = known;
        return PassVerdict.Valid;
    }

    private static bool Paces(PacingRoom[] rooms, string roomId)
    {
        foreach (var room in rooms)
        {
            if (string.Equals(room.Id, roomId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void Remember(string pass, VerifiedPass claims)
    {
        if (_verified.Count >= MaxCachedPasses)
        {
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            foreach (var (key, value) in _verified)
            {
                if (value.ExpiresAtSeconds <= now)
                {
                    _verified.TryRemove(key, out _);
                }
            }

            if (_verified.Count >= MaxCachedPasses)
            {
                return;
            }
        }

        _verified.TryAdd(pass, claims);
    }

    /// <summary>Signature, header and issuer/audience; null when any of them is wrong.</summary>
    private VerifiedPass? Verify(ReadOnlySpan<char> token)
    {
        var firstDot = token.IndexOf('.');
        if (firstDot <= 0)
        {
            return null;
        }

        var secondDot = token[(firstDot + 1)..].IndexOf('.');
        if (secondDot <= 0)
        {
            return null;
        }

        secondDot += firstDot + 1;
        if (secondDot == token.Length - 1 || token[(secondDot + 1)..].Contains('.'))
        {
            return null;
        }

        var key = FindKey(token[..firstDot]);
        if (key is null)
        {
            return null;
        }

        Span<byte> signature = stackalloc byte[66];
        if (!Base64Url.TryDecodeFromChars(token[(secondDot + 1)..], signature, out var signatureLength) || signatureLength != 64)
        {
            return null;
        }

        var signed = token[..secondDot];
        var buffer = ArrayPool<byte>.Shared.Rent(signed.Length);
        try
        {
            for (var i = 0; i < signed.Length; i++)
            {
                if (signed[i] > 127)
                {
                    return null;
                }

                buffer[i] = (byte)signed[i];
            }

            if (!key.Verify(buffer.AsSpan(0, signed.Length), signature[..64]))
            {
                return null;
            }

            var payloadChars = token[(firstDot + 1)..secondDot];
            if (!Base64Url.TryDecodeFromChars(payloadChars, buffer, out var payloadLength))
            {
                return null;
            }

            return ReadClaims(buffer.AsSpan(0, payloadLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private SigningKey? FindKey(ReadOnlySpan<char> headerChars)
    {
        Span<byte> header = stackalloc byte[512];
        if (headerChars.Length > 600 || !Base64Url.TryDecodeFromChars(headerChars, header, out var length))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(header[..length]);
            var es256 = false;
            SigningKey? key = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    reader.Read();
                    es256 = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("ES256"u8);
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    reader.Read();
                    key = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped ? keys.FindPublished(reader.ValueSpan) : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return es256 ? key : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private VerifiedPass? ReadClaims(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            bool issuer = false, audience = false;
            string? room = null;
            long[]? performances = null;
            long? nbf = null, exp = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("iss"u8))
                {
                    reader.Read();
                    issuer = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(_issuer);
                }
                else if (reader.ValueTextEquals("aud"u8))
                {
                    reader.Read();
                    audience = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(_audience);
                }
                else if (reader.ValueTextEquals("room"u8))
                {
                    reader.Read();
                    room = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("perfs"u8))
                {
                    reader.Read();
                    performances = ReadPerformances(ref reader);
                }
                else if (reader.ValueTextEquals("nbf"u8))
                {
                    reader.Read();
                    nbf = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;
                }
                else if (reader.ValueTextEquals("exp"u8))
                {
                    reader.Read();
                    exp = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return issuer && audience && room is not null && performances is not null && nbf is not null && exp is not null
                ? new VerifiedPass(room, performances, nbf.Value, exp.Value)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long[]? ReadPerformances(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var list = new List<long>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id))
            {
                return null;
            }

            list.Add(id);
        }

        return [.. list];
    }
}
