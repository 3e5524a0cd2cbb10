using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Payments;

namespace Ticketing.Application.Guests;

/// <summary>What cancelling seats of a looked-up guest booking would refund now: <see cref="QuoteCancellation"/> for its guest account.</summary>
public sealed record QuoteGuestCancellation(Guid OrderId, IReadOnlyList<long>? SeatIds) : IRequest<Result<CancellationQuoteDto>>;

public sealed class QuoteGuestCancellationHandler(IAppDbContext db, IMediator mediator) : IRequestHandler<QuoteGuestCancellation, Result<CancellationQuoteDto>>
{
    public async Task<Result<CancellationQuoteDto>> Handle(QuoteGuestCancellation request, CancellationToken cancellationToken)
    {
        var guestId = await db.GuestBookings.AsNoTracking().Where(b => b.OrderId == request.OrderId).Select(b => (Guid?)b.GuestId).SingleOrDefaultAsync(cancellationToken);
        return guestId is { } owner
            ? await mediator.Send(new QuoteCancellation(owner, request.OrderId, request.SeatIds), cancellationToken)
            : GuestErrors.LookupFailed;
    }
}
