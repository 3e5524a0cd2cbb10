using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;

namespace Ticketing.Application.Admin;

/// <summary>
/// For the admin dashboard: every performance's seats held and sold now, orders by status, and refunds by status
/// (an <c>abandoned</c> refund had no known outcome after every retry and must be settled with Toss by hand;
/// a <c>failed</c> one was refused by Toss).
/// </summary>
public sealed record GetSalesOverview : IRequest<Result<SalesOverview>>;

public sealed record SalesOverview(
    DateTimeOffset AsOf,
    IReadOnlyDictionary<string, int> OrdersByStatus,
    IReadOnlyDictionary<string, int> RefundsByStatus,
    IReadOnlyList<PerformanceSales> Performances);

public sealed record PerformanceSales(long PerformanceId, long EventId, string EventTitle, DateTimeOffset StartsAt, int Seats, int Held, int Sold, bool RequiresQueuePass, string? WaitingRoomId);

public sealed class GetSalesOverviewHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<GetSalesOverview, Result<SalesOverview>>
{
    public async Task<Result<SalesOverview>> Handle(GetSalesOverview request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var statuses = await db.Orders.AsNoTracking()
            .GroupBy(o => o.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var refunds = await db.Refunds.AsNoTracking()
            .GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var taken = await db.OrderLines.AsNoTracking()
            .Where(l => l.IsLive)
            .Join(db.Orders, l => l.OrderId, o => o.Id, (l, o) => new { l.PerformanceId, o.Status, o.ExpiresAt })
            .Where(x => x.Status != OrderStatus.Pending || x.ExpiresAt > now)
            .GroupBy(x => new { x.PerformanceId, Sold = x.Status == OrderStatus.Paid })
            .Select(g => new { g.Key.PerformanceId, g.Key.Sold, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var performances = await db.Performances.AsNoTracking()
            .Join(db.Events, p => p.EventId, e => e.Id, (p, e) => new { p.Id, p.EventId, e.Title, p.StartsAt, p.SeatCount, p.RequiresQueuePass, p.WaitingRoomId })
            .OrderBy(p => p.StartsAt)
            .ToListAsync(cancellationToken);

        return new SalesOverview(
            now,
            statuses.ToDictionary(s => s.Status.StatusName(), s => s.Count),
            refunds.ToDictionary(r => RefundStatusName(r.Status), r => r.Count),
            performances.Select(p => new PerformanceSales(
                p.Id,
                p.EventId,
                p.Title,
                p.StartsAt,
                p.SeatCount,
                taken.Where(t => t.PerformanceId == p.Id && !t.Sold).Sum(t => t.Count),
                taken.Where(t => t.PerformanceId == p.Id && t.Sold).Sum(t => t.Count),
                p.RequiresQueuePass,
                p.WaitingRoomId)).ToList());
    }

    private static string RefundStatusName(RefundStatus status) => status switch
    {
        RefundStatus.Requested => "requested",
        RefundStatus.Done => "done",
        RefundStatus.Failed => "failed",
        RefundStatus.OutcomeUnknown => "outcomeUnknown",
        RefundStatus.Abandoned => "abandoned",
        _ => status.ToString(),
    };
}
