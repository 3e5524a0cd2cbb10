using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Events;

internal static class EventSummaries
{
    /// <summary>Pages an ordered event query and projects each event to its summary (dates and price range) in SQL.</summary>
    public static async Task<PagedResult<EventSummaryDto>> PageAsync(IAppDbContext db, IQueryable<Event> ordered, int page, int pageSize, CancellationToken cancellationToken)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var rows = await ordered
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(e => new
            {
                e.Id,
                e.Title,
                e.Category,
                e.Venue,
                e.Status,
            })
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.Id).ToList();
        var performances = await db.Performances.AsNoTracking()
            .Where(p => ids.Contains(p.EventId))
            .Select(p => new { p.Id, p.EventId, p.StartsAt })
            .ToListAsync(cancellationToken);
        var performanceIds = performances.Select(p => p.Id).ToList();
        var prices = await db.PriceGrades.AsNoTracking()
            .Where(g => performanceIds.Contains(g.PerformanceId))
            .GroupBy(g => g.PerformanceId)
            .Select(g => new { PerformanceId = g.Key, Min = g.Min(x => x.Price), Max = g.Max(x => x.Price) })
            .ToListAsync(cancellationToken);

        var items = rows.Select(r =>
        {
            var own = performances.Where(p => p.EventId == r.Id).ToList();
            var ownIds = own.Select(p => p.Id).ToHashSet();
            var ownPrices = prices.Where(p => ownIds.Contains(p.PerformanceId)).ToList();
            return new EventSummaryDto(
                r.Id,
                r.Title,
                r.Category,
                r.Venue,
                r.Status.StatusName(),
                own.Count == 0 ? null : own.Min(p => p.StartsAt),
                own.Count == 0 ? null : own.Max(p => p.StartsAt),
                ownPrices.Count == 0 ? null : ownPrices.Min(p => p.Min),
                ownPrices.Count == 0 ? null : ownPrices.Max(p => p.Max));
        }).ToList();

        return new PagedResult<EventSummaryDto>(items, page, pageSize, total);
    }
}
