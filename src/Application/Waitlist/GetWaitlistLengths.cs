using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Waitlist;

namespace Ticketing.Application.Waitlist;

/// <summary>
/// The organizer's view of a performance's waitlist: fans waiting and seats they still want, per grade (a null grade
/// counts the fans who take any grade), and the offers open now. Only the event's organizer (or an admin).
/// </summary>
public sealed record GetWaitlistLengths(Actor Actor, long PerformanceId) : IRequest<Result<WaitlistLengthsDto>>;

public sealed class GetWaitlistLengthsHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<GetWaitlistLengths, Result<WaitlistLengthsDto>>
{
    public async Task<Result<WaitlistLengthsDto>> Handle(GetWaitlistLengths request, CancellationToken cancellationToken)
    {
        var performance = await db.Performances.AsNoTracking()
            .Where(p => p.Id == request.PerformanceId)
            .Select(p => new { p.ReturnedSeats, p.WaitlistOfferMinutes, Owner = db.Events.Where(e => e.Id == p.EventId).Select(e => e.OrganizerId).Single() })
            .SingleOrDefaultAsync(cancellationToken);
        if (performance is null)
        {
            return Error.NotFound("performance.not_found", "No performance has this id.");
        }

        if (!request.Actor.IsAdmin && performance.Owner != request.Actor.UserId)
        {
            return Error.Forbidden("event.not_owner", "This event belongs to another organizer.");
        }

        var waiting = await db.WaitlistEntries.AsNoTracking()
            .Where(e => e.PerformanceId == request.PerformanceId && e.Status == WaitlistEntryStatus.Waiting)
            .GroupBy(e => e.GradeCode)
            .Select(g => new { Grade = g.Key, Fans = g.Count(), Seats = g.Sum(e => e.Seats - e.SeatsOffered) })
            .ToListAsync(cancellationToken);
        var grades = await db.PriceGrades.AsNoTracking().Where(g => g.PerformanceId == request.PerformanceId)
            .OrderByDescending(g => g.Price).Select(g => g.Code).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var openOffers = await db.WaitlistOffers.AsNoTracking()
            .Where(o => o.PerformanceId == request.PerformanceId)
            .Join(db.Orders, o => o.OrderId, order => order.Id, (o, order) => order)
            .CountAsync(order => (order.Status == OrderStatus.Pending && order.ExpiresAt > now) || order.Status == OrderStatus.PaymentPending, cancellationToken);

        // Every grade is listed (zeros included), then "any grade" last.
        var rows = grades.Select(code => waiting.FirstOrDefault(w => w.Grade == code) is { } w
                ? new WaitlistGradeLengthDto(code, w.Fans, w.Seats)
                : new WaitlistGradeLengthDto(code, 0, 0))
            .Append(waiting.FirstOrDefault(w => w.Grade is null) is { } any ? new WaitlistGradeLengthDto(null, any.Fans, any.Seats) : new WaitlistGradeLengthDto(null, 0, 0))
            .ToList();
        return new WaitlistLengthsDto(
            request.PerformanceId,
            performance.ReturnedSeats.ToString(),
            performance.WaitlistOfferMinutes,
            waiting.Sum(w => w.Fans),
            waiting.Sum(w => w.Seats),
            openOffers,
            rows);
    }
}
