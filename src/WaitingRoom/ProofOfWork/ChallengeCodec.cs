using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ticketing.WaitingRoom.ProofOfWork;

/// <summary>A challenge as the codec read it back: its random id (the key that makes it single-use) and its terms.</summary>
internal readonly record struct Challenge(string Scope, int Difficulty, long ExpiresAtMs, string Id);

/// <summary>
/// Stateless, signed proof-of-work challenges: <c>pw1.{scope}.{difficulty}.{expiresAtMs}.{id}.{mac}</c>, where scope is the
/// room id, id 16 random bytes and mac the HMAC-SHA256 (base64url, 16 bytes kept) of everything before it. The key is
/// derived from the queue-ticket key (HKDF, its own label), so no new secret needs configuring and instances agree.
/// The difficulty travels in the challenge: a live change applies to the next challenge handed out.
/// </summary>
internal sealed class ChallengeCodec(byte[] key)
{
    public const string Prefix = "pw1";
    public const int MaxLength = 200;

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes("ticketing proof-of-work v1"));

    public string Issue(string scope, int difficulty, long expiresAtMs)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var body = string.Create(CultureInfo.InvariantCulture, $"{Prefix}.{scope}.{difficulty}.{expiresAtMs}.{id}");
        return body + "." + Mac(body);
    }

    /// <summary>True when the challenge is one this codec signed (its expiry is the caller's to check).</summary>
    public bool TryRead(string? value, out Challenge challenge)
    {
        challenge = default;
        if (value is null || value.Length > MaxLength)
        {
            return false;
        }

        var parts = value.Split('.');
        if (parts.Length != 6 || parts[0] != Prefix)
        {
            return false;
        }

        var body = value[..value.LastIndexOf('.')];
        var expected = Encoding.ASCII.GetBytes(Mac(body));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[5])))
        {
            return false;
        }

        if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var difficulty)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAtMs))
        {
            return false;
        }

        challenge = new Challenge(parts[1], difficulty, expiresAtMs, parts[4]);
        return true;
    }

    private string Mac(string body)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(body), mac);
        return Base64Url.EncodeToString(mac[..16]);
    }
}
