using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Application.Payments;
using Ticketing.Application.Tickets;
using Ticketing.Domain.Accounts;

namespace Ticketing.Application.Guests;

/// <summary>
/// A guest booking with its order and tickets (QR content included). Only callers that proved the booking ask:
/// its guest session, or a lookup token scoped to this order.
/// </summary>
public sealed record GetGuestBooking(Guid OrderId) : IRequest<Result<GuestBookingDto>>;

public sealed class GetGuestBookingHandler(IAppDbContext db, ITicketSigner signer, IMapper mapper, TimeProvider clock)
    : IRequestHandler<GetGuestBooking, Result<GuestBookingDto>>
{
    public async Task<Result<GuestBookingDto>> Handle(GetGuestBooking request, CancellationToken cancellationToken)
    {
        var booking = await db.GuestBookings.AsNoTracking().SingleOrDefaultAsync(b => b.OrderId == request.OrderId, cancellationToken);
        var order = booking is null
            ? null
            : await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == booking.OrderId && o.FanId == booking.GuestId, cancellationToken);
        if (booking is null || order is null)
        {
            return GuestErrors.LookupFailed;
        }

        var tickets = await db.Tickets.AsNoTracking().Where(t => t.OrderId == order.Id).OrderBy(t => t.SeatId).ToListAsync(cancellationToken);
        return new GuestBookingDto(
            Domain.Guests.BookingNumber.Format(booking.BookingNumber),
            booking.Name,
            PhoneNumber.Mask(booking.Phone),
            booking.Email,
            booking.CreatedAt,
            mapper.ToOrderDto(order, clock.GetUtcNow()),
            tickets.Select(t => new TicketDetailsDto(mapper.Map<TicketDto>(t), signer.Sign(t.Id, t.PerformanceId, t.SeatId))).ToList());
    }
}
