using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Orders;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// The pending-order write through EF Core, one transaction per hold (SQL Server, where row locks let holds for
/// different seats commit side by side). The unique index over live lines refuses a taken seat; the fan's limit
/// is checked before the insert and again on the committed total, and an order that the recheck finds over the
/// limit is cancelled before anyone could pay it. Racing orders of one fan that all see each other over the limit
/// are all cancelled: the fan never ends past the limit, though such a race may leave them with none.
/// </summary>
internal sealed class EfPendingOrderWriter(AppDbContext db, IUniqueViolationDetector uniqueViolations) : IPendingOrderWriter
{
    public async Task<PlaceOrderOutcome> PlaceAsync(Order order, int maxSeatsPerFan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seats = order.Lines.Count;
        var before = await LiveSeatsOfFanAsync(order.FanId, order.PerformanceId, now, cancellationToken);
        if (before + seats > maxSeatsPerFan)
        {
            return PlaceOrderOutcome.FanLimit(before);
        }

        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            var seatIds = order.Lines.Select(l => l.SeatId).ToList();
            var taken = await db.OrderLines.AsNoTracking()
                .Where(l => l.PerformanceId == order.PerformanceId && l.IsLive && seatIds.Contains(l.SeatId))
                .Select(l => l.SeatId).ToListAsync(cancellationToken);
            return PlaceOrderOutcome.SeatsTaken(taken.Count > 0 ? taken : seatIds);
        }

        // A fan racing their own holds could pass the check above twice; the committed total decides.
        var total = await LiveSeatsOfFanAsync(order.FanId, order.PerformanceId, now, cancellationToken);
        if (total > maxSeatsPerFan)
        {
            order.Cancel(now);
            await db.SaveChangesAsync(cancellationToken);
            return PlaceOrderOutcome.FanLimit(total - seats);
        }

        return PlaceOrderOutcome.Placed;
    }

    private Task<int> LiveSeatsOfFanAsync(Guid fanId, long performanceId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking()
            .Where(o => o.FanId == fanId && o.PerformanceId == performanceId
                && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PaymentPending || (o.Status == OrderStatus.Pending && o.ExpiresAt > now)))
            .SelectMany(o => o.Lines)
            .CountAsync(l => l.IsLive, cancellationToken);
}
