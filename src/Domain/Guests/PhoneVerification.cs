using System.Security.Cryptography;
using System.Text;
namespace Ticketing.Domain.Guests;

/// <summary>
/// A one-time code sent by SMS to prove a phone: only a hash of it is stored (keyed by the verification's own id), it
/// expires after <see cref="Lifetime"/>, it is used once, and it dies after <see cref="MaxAttempts"/> wrong guesses.
/// </summary>
public sealed class PhoneVerification
{
    public const int CodeLength = 6;
    public const int MaxAttempts = 5;
    public const int MaxPhoneLength = 16;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private PhoneVerification()
    {
        Phone = string.Empty;
        CodeHash = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>E.164.</summary>
    public string Phone { get; private set; }

    /// <summary>HMAC-SHA256 of the code, keyed by <see cref="Id"/>, in hex.</summary>
    public string CodeHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    /// <summary>A new verification and its code (to send, never to store).</summary>
    public static (PhoneVerification Verification, string Code) Start(string phoneE164, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var verification = new PhoneVerification
        {
            Id = Guid.NewGuid(),
            Phone = phoneE164,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        verification.CodeHash = verification.HashOf(code);
        return (verification, code);
    }

    /// <summary>True while a code may still be tried.</summary>
    public bool IsOpenAt(DateTimeOffset now) => UsedAt is null && now < ExpiresAt && Attempts < MaxAttempts;

    /// <summary>
    /// Tries a code. A wrong code counts as an attempt (the caller saves it); the right one marks the verification
    /// used, so it works once. Nothing is tried once the verification is used, expired or out of attempts.
    /// </summary>
    public CodeCheck Confirm(string? code, DateTimeOffset now)
    {
        if (UsedAt is not null)
        {
            return CodeCheck.Used;
        }

        if (now >= ExpiresAt)
        {
            return CodeCheck.Expired;
        }

        if (Attempts >= MaxAttempts)
        {
            return CodeCheck.TooManyAttempts;
        }

        Attempts++;
        var given = Encoding.ASCII.GetBytes(HashOf((code ?? string.Empty).Trim()));
        if (!CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(CodeHash)))
        {
            return CodeCheck.Wrong;
        }

        UsedAt = now;
        return CodeCheck.Accepted;
    }

    private string HashOf(string code) =>
        Convert.ToHexString(HMACSHA256.HashData(Id.ToByteArray(), Encoding.UTF8.GetBytes(code)));
}

/// <summary>What trying a code found.</summary>
public enum CodeCheck
{
    Accepted,
    Wrong,
    Used,
    Expired,
    TooManyAttempts,
}
