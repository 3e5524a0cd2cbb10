namespace Ticketing.Domain.Accounts;

/// <summary>
/// The one form of an email address that accounts are found by: trimmed, compatibility forms folded, lower-cased
/// (invariant). The services run with <c>InvariantGlobalization</c>, where <see cref="string.Normalize()"/> leaves
/// non-ASCII text as it is, so the fold is ours: the fullwidth forms (U+FF01–U+FF5E, what East Asian input methods
/// type, e.g. <c>ａｄｍｉｎ</c>) become their ASCII letters, exactly as NFKC maps them. Every other non-ASCII character
/// makes the address unacceptable for an account: look-alikes such as the dotless ı (U+0131, which upper-cases to a
/// plain I) or Cyrillic а are refused at registration and never match an ASCII address at login. For every address
/// we accept, this form is the NFKC, case-folded one.
/// </summary>
public static class EmailAddress
{
    public static string Normalize(string email)
    {
        var trimmed = email.Trim();
        return string.Create(trimmed.Length, trimmed, static (buffer, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (c is >= '\uFF01' and <= '\uFF5E')
                {
                    c = (char)(c - 0xFEE0);
                }

                buffer[i] = char.ToLowerInvariant(c);
            }
        });
    }

    /// <summary>True when the normalised address is printable ASCII with one <c>@</c> between a local part and a domain.</summary>
    public static bool IsAcceptable(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        var normalized = Normalize(email);
        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == normalized.Length - 1 || normalized.IndexOf('@', at + 1) >= 0)
        {
            return false;
        }

        foreach (var c in normalized)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
