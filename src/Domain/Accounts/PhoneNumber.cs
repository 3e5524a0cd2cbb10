namespace Ticketing.Domain.Accounts;

/// <summary>
/// The one form of a phone number that guest accounts are found by: E.164 (<c>+</c>, country code, number, digits
/// only). A Korean number written the local way (<c>010-1234-5678</c>, <c>01012345678</c>, <c>+82 10 1234 5678</c>,
/// <c>0082-10-...</c>) becomes <c>+821012345678</c>; other countries must be written with <c>+</c> and their code.
/// Spaces, dashes, dots and parentheses are ignored, full-width digits are folded; anything else is refused.
/// </summary>
public static class PhoneNumber
{
    public const int MaxInputLength = 32;

    /// <summary>The E.164 form, or null when the input is not a phone number we accept.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength)
        {
            return null;
        }

        var digits = new System.Text.StringBuilder(16);
        var plus = false;
        foreach (var raw in input.Trim())
        {
            var c = raw is >= '\uFF01' and <= '\uFF5E' ? (char)(raw - 0xFEE0) : raw;
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
            }
            else if (c == '+' && digits.Length == 0 && !plus)
            {
                plus = true;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return null;
            }
        }

        var number = digits.ToString();
        if (!plus && number.StartsWith("00", StringComparison.Ordinal))
        {
            plus = true;
            number = number[2..];
        }

        if (!plus)
        {
            // A Korean number as dialled at home: the trunk 0, then an area or mobile prefix.
            if (!number.StartsWith('0') || number.Length is < 9 or > 11)
            {
                return null;
            }

            number = "82" + number[1..];
        }
        else if (number.StartsWith("820", StringComparison.Ordinal))
        {
            // +82 010-...: the trunk 0 written after the country code.
            number = "82" + number[3..];
        }

        if (number.Length is < 8 or > 15 || number[0] == '0')
        {
            return null;
        }

        if (number.StartsWith("82", StringComparison.Ordinal) && number.Length is < 10 or > 12)
        {
            return null;
        }

        return "+" + number;
    }

    /// <summary>The number as a page shows it to someone who already knows it: the last four digits only.</summary>
    public static string Mask(string e164) =>
        e164.Length <= 4 ? "****" : new string('*', e164.Length - 4) + e164[^4..];
}
