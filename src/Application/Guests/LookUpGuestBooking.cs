using System.Security.Cryptography;
using System.Text;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Guests;

namespace Ticketing.Application.Guests;

/// <summary>
/// Finds a guest booking by its number and the buyer's phone; answers the order id it opens. "No such number" and
/// "wrong phone" are the same error (<see cref="GuestErrors.LookupFailed"/>) after the same work: one query by
/// number, one constant-time comparison of the phone against the booking's (or against a stand-in).
/// </summary>
public sealed record LookUpGuestBooking(string? BookingNumber, string? Phone) : IRequest<Result<Guid>>;

public sealed class LookUpGuestBookingHandler(IAppDbContext db) : IRequestHandler<LookUpGuestBooking, Result<Guid>>
{
    public async Task<Result<Guid>> Handle(LookUpGuestBooking request, CancellationToken cancellationToken)
    {
        var number = Domain.Guests.BookingNumber.Normalize(request.BookingNumber) ?? string.Empty;
        var phone = PhoneNumber.Normalize(request.Phone) ?? string.Empty;
        var booking = await db.GuestBookings.AsNoTracking()
            .Where(b => b.BookingNumber == number)
            .Select(b => new { b.OrderId, b.Phone })
            .SingleOrDefaultAsync(cancellationToken);
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(booking?.Phone ?? "-"));
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(phone));
        return booking is not null && CryptographicOperations.FixedTimeEquals(expected, given)
            ? booking.OrderId
            : GuestErrors.LookupFailed;
    }
}
