using Ticketing.Application.Common;

namespace Ticketing.Application.Guests;

internal static class GuestErrors
{
    public static readonly Error InvalidPhone = Error.Validation(
        "guest.phone_invalid",
        "Give a mobile number, e.g. 010-1234-5678, or +country code and number.",
        new Dictionary<string, string[]> { ["phone"] = ["Not a phone number we accept."] });

    /// <summary>
    /// The one answer of a lookup that finds nothing: no such booking number, or the phone does not match. The two
    /// are never told apart.
    /// </summary>
    public static readonly Error LookupFailed = Error.NotFound(
        "guest.booking_not_found", "No booking matches this booking number and phone.");
}
