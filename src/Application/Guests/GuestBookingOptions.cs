namespace Ticketing.Application.Guests;

/// <summary>Guest booking's limits (section <c>Guests</c>).</summary>
public sealed class GuestBookingOptions
{
    public const string SectionName = "Guests";

    /// <summary>Codes one phone may be sent per hour.</summary>
    public int CodesPerPhonePerHour { get; set; } = 5;

    /// <summary>Seconds before the same phone may be sent another code.</summary>
    public int ResendSeconds { get; set; } = 60;

    /// <summary>Codes sent per hour over all phones: the SMS bill's ceiling (a farm of numbers cannot run it up further).</summary>
    public int CodesPerHour { get; set; } = 5000;

    /// <summary>How long a guest session lasts after the code is verified.</summary>
    public int SessionMinutes { get; set; } = 30;

    /// <summary>How long the token a booking lookup hands out opens that booking.</summary>
    public int LookupTokenMinutes { get; set; } = 15;

    /// <summary>Lookups of one booking number per 15 minutes, right or wrong, from any address.</summary>
    public int LookupsPerNumber { get; set; } = 5;
}
