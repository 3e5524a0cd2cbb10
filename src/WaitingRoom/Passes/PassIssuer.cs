using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Ticketing.WaitingRoom.Passes;

/// <summary>
/// Writes access passes: JWS compact, ES256, <c>kid</c> header; claims iss, aud, sub (queue ticket id), room,
/// perfs, iat, nbf, exp, jti. Any JWT library can check one with the keys from <c>/.well-known/jwks.json</c>.
/// </summary>
internal sealed class PassIssuer(SigningKeyRing keys, string issuer, string audience)
{
    public string Issue(string roomId, long[] performanceIds, string subject, long issuedAtMs, long expiresAtMs, string jti)
    {
        var key = keys.Current;
        var payload = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(payload))
        {
            var iat = issuedAtMs / 1000;
            writer.WriteStartObject();
            writer.WriteString("iss", issuer);
            writer.WriteString("aud", audience);
            writer.WriteString("sub", subject);
            writer.WriteString("room", roomId);
            writer.WriteStartArray("perfs");
            foreach (var id in performanceIds)
            {
                writer.WriteNumberValue(id);
            }

            writer.WriteEndArray();
            writer.WriteNumber("iat", iat);
            writer.WriteNumber("nbf", iat);
            writer.WriteNumber("exp", expiresAtMs / 1000);
            writer.WriteString("jti", jti);
            writer.WriteEndObject();
        }

        var header = key.HeaderSegment;
        var payloadChars = Base64Url.GetEncodedLength(payload.WrittenCount);
        var signingLength = header.Length + 1 + payloadChars;
        var total = signingLength + 1 + Base64Url.GetEncodedLength(64);
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var span = buffer.AsSpan(0, total);
            var at = System.Text.Encoding.ASCII.GetBytes(header, span);
            span[at++] = (byte)'.';
            at += Base64Url.EncodeToUtf8(payload.WrittenSpan, span[at..]);
            Span<byte> signature = stackalloc byte[64];
            key.Sign(span[..signingLength], signature);
            span[at++] = (byte)'.';
            at += Base64Url.EncodeToUtf8(signature, span[at..]);
            return System.Text.Encoding.ASCII.GetString(span[..at]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
