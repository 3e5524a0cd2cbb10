using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Ticketing.Application.Guests;

namespace Ticketing.WebApi.Guests;

/// <summary>
/// The token a successful lookup hands out: it opens one booking (its order id and number inside, encrypted and
/// authenticated by the data-protection key ring every instance shares) until it expires, on this server's clock.
/// Sent back in <see cref="Header"/>.
/// </summary>
internal sealed class GuestLookupTokens(IDataProtectionProvider protection, TimeProvider clock, IOptions<GuestBookingOptions> options)
{
    public const string Header = "X-Lookup-Token";

    private readonly IDataProtector _protector = protection.CreateProtector("Ticketing.GuestBooking.LookupToken.v1");

    public (string Token, DateTimeOffset ExpiresAt) Issue(Guid orderId, string bookingNumber)
    {
        var expiresAt = clock.GetUtcNow() + TimeSpan.FromMinutes(options.Value.LookupTokenMinutes);
        var payload = string.Join('|', orderId.ToString("N"), bookingNumber, expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return (_protector.Protect(payload), expiresAt);
    }

    /// <summary>The order the token opens, if it is ours, unexpired and for this booking number (stored form).</summary>
    public Guid? OrderOf(string? token, string? bookingNumber)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || bookingNumber is null)
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        return parts.Length == 3
            && Guid.TryParseExact(parts[0], "N", out var orderId)
            && string.Equals(parts[1], bookingNumber, StringComparison.Ordinal)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresMs)
            && clock.GetUtcNow().ToUnixTimeMilliseconds() < expiresMs
                ? orderId
                : null;
    }
}
