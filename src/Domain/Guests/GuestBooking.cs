using Ticketing.Domain.Common;

namespace Ticketing.Domain.Guests;

/// <summary>
/// A guest's order with the buyer's contact and its short booking number: what a lookup by number and phone finds.
/// The order itself is an ordinary order of the guest account (<see cref="GuestId"/>); one booking per order.
/// </summary>
public sealed class GuestBooking
{
    public const int MaxNameLength = 100;
    public const int MaxEmailLength = 254;

    private GuestBooking()
    {
        BookingNumber = string.Empty;
        Name = string.Empty;
        Phone = string.Empty;
        Email = string.Empty;
    }

    public Guid OrderId { get; private set; }

    /// <summary>Unique; <see cref="Guests.BookingNumber"/>'s stored form.</summary>
    public string BookingNumber { get; private set; }

    public Guid GuestId { get; private set; }

    public string Name { get; private set; }

    /// <summary>E.164, the verified phone of the guest account.</summary>
    public string Phone { get; private set; }

    public string Email { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static GuestBooking Create(Guid orderId, Guid guestId, string bookingNumber, string name, string phoneE164, string email, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bookingNumber);
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            throw new DomainException("guest.name", $"The buyer's name is required (at most {MaxNameLength} characters).");
        }

        return new GuestBooking
        {
            OrderId = orderId,
            GuestId = guestId,
            BookingNumber = bookingNumber,
            Name = name.Trim(),
            Phone = phoneE164,
            Email = email.Trim(),
            CreatedAt = now,
        };
    }
}
