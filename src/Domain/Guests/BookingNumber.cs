using System.Security.Cryptography;

namespace Ticketing.Domain.Guests;

/// <summary>
/// A guest booking's number: 10 random characters of an alphabet without look-alikes (no 0/O, 1/I/L, U), shown as
/// <c>XXXXX-XXXXX</c>. 31^10 ≈ 8×10^14 numbers: with the phone also needed and lookups rate-limited, guessing one is
/// hopeless. Typed input is folded (case, dashes, spaces, full-width forms) before it is compared.
/// </summary>
public static class BookingNumber
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 10;

    public static string New()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>The stored form of a typed number, or null when it cannot be one.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return null;
        }

        Span<char> chars = stackalloc char[Length];
        var n = 0;
        foreach (var raw in input)
        {
            var c = raw is >= '\uFF01' and <= '\uFF5E' ? (char)(raw - 0xFEE0) : raw;
            if (c is ' ' or '-')
            {
                continue;
            }

            c = char.ToUpperInvariant(c);
            if (n == Length || !Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            chars[n++] = c;
        }

        return n == Length ? new string(chars) : null;
    }

    /// <summary>How pages and messages show a number: two groups of five.</summary>
    public static string Format(string number) => number.Length == Length ? $"{number[..5]}-{number[5..]}" : number;
}
