using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Payments;

namespace Ticketing.Application.Guests;

/// <summary>
/// Cancels seats of a looked-up guest booking (all when <see cref="SeatIds"/> is null) by the same rules as a fan's
/// paid order: <see cref="CancelPaidOrder"/> in the name of the booking's guest account.
/// </summary>
public sealed record CancelGuestBooking(Guid OrderId, IReadOnlyList<long>? SeatIds) : IRequest<Result<RefundDto>>;

public sealed class CancelGuestBookingHandler(IAppDbContext db, IMediator mediator) : IRequestHandler<CancelGuestBooking, Result<RefundDto>>
{
    public async Task<Result<RefundDto>> Handle(CancelGuestBooking request, CancellationToken cancellationToken)
    {
        var guestId = await db.GuestBookings.AsNoTracking().Where(b => b.OrderId == request.OrderId).Select(b => (Guid?)b.GuestId).SingleOrDefaultAsync(cancellationToken);
        return guestId is { } owner
            ? await mediator.Send(new CancelPaidOrder(owner, request.OrderId, request.SeatIds), cancellationToken)
            : GuestErrors.LookupFailed;
    }
}
