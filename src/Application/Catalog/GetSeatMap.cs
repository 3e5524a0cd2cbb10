using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Catalog;

/// <summary>Every seat of a published performance with its status now.</summary>
public sealed record GetSeatMap(long PerformanceId) : IRequest<Result<SeatMapView>>;

/// <summary>The cached layout plus one status byte per seat, in layout order.</summary>
/// <param name="Version">The change feed's version, read before the statuses: changes with a greater version may be missing.</param>
public sealed record SeatMapView(SeatLayout Layout, SeatStatus[] Statuses, DateTimeOffset AsOf, long Version = 0);

public enum SeatStatus : byte
{
    Available = 0,
    Held = 1,
    Sold = 2,
}

public sealed class GetSeatMapHandler(ISeatLayoutCache layouts, IAppDbContext db, ISeatChangeFeed changes, TimeProvider clock)
    : IRequestHandler<GetSeatMap, Result<SeatMapView>>
{
    public async Task<Result<SeatMapView>> Handle(GetSeatMap request, CancellationToken cancellationToken)
    {
        var layout = await layouts.GetAsync(request.PerformanceId, cancellationToken);
        if (layout is not { IsPublished: true })
        {
            return Error.NotFound("performance.not_found", "No published performance has this id.");
        }

        // The version first: a change committed after this read has a greater version, so a client applying every
        // change above it ends in the right state.
        var version = await changes.GetVersionAsync(request.PerformanceId, cancellationToken);
        var now = clock.GetUtcNow();
        var statuses = new SeatStatus[layout.Count];
        var taken = await SeatAvailability.LiveSeatsAsync(db, request.PerformanceId, now, cancellationToken);
        foreach (var (seatId, status) in taken)
        {
            if (layout.IndexById.TryGetValue(seatId, out var index))
            {
                statuses[index] = status;
            }
        }

        return new SeatMapView(layout, statuses, now, version);
    }
}

internal static class SeatAvailability
{
    /// <summary>
    /// Seats that live orders hold or own now. A pending order past its deadline does not count, even before the
    /// expiry job has closed it: availability never waits on the job.
    /// </summary>
    public static async Task<List<(long SeatId, SeatStatus Status)>> LiveSeatsAsync(IAppDbContext db, long performanceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await LiveLines(db, performanceId, now)
            .Select(x => new { x.SeatId, x.Sold })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.SeatId, r.Sold ? SeatStatus.Sold : SeatStatus.Held)).ToList();
    }

    /// <summary>
    /// The order lines that hold or own a seat of the performance now, as a query to project or aggregate further
    /// (the seat map reads seat ids; the organizer's sales count them per grade). The one place the rule lives in
    /// SQL: live lines of orders that are paid, waiting on a payment outcome, or pending before their deadline
    /// (<see cref="Order.HoldsSeatsAt"/> in the domain).
    /// </summary>
    public static IQueryable<LiveLine> LiveLines(IAppDbContext db, long performanceId, DateTimeOffset now) =>
        db.OrderLines.AsNoTracking()
            .Where(l => l.PerformanceId == performanceId && l.IsLive)
            .Join(db.Orders, l => l.OrderId, o => o.Id, (l, o) => new { l.SeatId, l.GradeCode, l.Price, o.Status, o.ExpiresAt })
            .Where(x => x.Status != OrderStatus.Pending || x.ExpiresAt > now)
            .Select(x => new LiveLine { SeatId = x.SeatId, GradeCode = x.GradeCode, Price = x.Price, Sold = x.Status == OrderStatus.Paid });
}

/// <summary>A seat held (not yet paid) or sold (paid) now, with its grade and price.</summary>
internal sealed class LiveLine
{
    public long SeatId { get; init; }

    public string GradeCode { get; init; } = string.Empty;

    public long Price { get; init; }

    public bool Sold { get; init; }
}
