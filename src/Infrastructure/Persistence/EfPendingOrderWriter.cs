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

        // A seat in the way may belong to a hold past its deadline that the expiry has not closed yet (its lock's
        // grace may have ended, so the seat map and the lock both show it free): close such holds and try once more.
        if (!await TryAddAsync(order, cancellationToken)
            && !(await ReclaimLapsedHoldsAsync(order, now, cancellationToken) && await TryAddAsync(order, cancellationToken)))
        {
            var seatIds = order.Lines.Select(l => l.SeatId).ToList();
            var taken = await db.OrderLines.AsNoTracking()
                .Where(l => l.PerformanceId == order.PerformanceId && l.IsLive && seatIds.Contains(l.SeatId))
                .Select(l => l.SeatId).ToListAsync(cancellationToken);

            // Nothing holds the seats any more: another hold closed the lapsed order in the way between this one's
            // insert and its own look (a lapsed order of two seats, two crowds): one more try, and the index decides.
            if (taken.Count > 0 || !await TryAddAsync(order, cancellationToken))
            {
                return PlaceOrderOutcome.SeatsTaken(taken.Count > 0 ? taken : seatIds);
            }
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

    private async Task<bool> TryAddAsync(Order order, CancellationToken cancellationToken)
    {
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// Expires (as the expiry job would, under each order's version) the orders holding seats of
    /// <paramref name="order"/> that are pending, past their deadline at <paramref name="now"/> and never had a
    /// payment attempt; one with an attempt is left to the expiry, which asks the provider first. Whether any closed.
    /// </summary>
    private async Task<bool> ReclaimLapsedHoldsAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seatIds = order.Lines.Select(l => l.SeatId).ToList();
        var lapsed = await db.Orders.Include(o => o.Lines)
            .Where(o => o.PerformanceId == order.PerformanceId && o.Status == OrderStatus.Pending && o.PaymentKey == null && o.ExpiresAt <= now
                && o.Lines.Any(l => l.IsLive && seatIds.Contains(l.SeatId))
                && !db.WaitlistOffers.Any(w => w.OrderId == o.Id)) // waitlist (issue 13.1): a lapsed offer passes to the next fan, via the expiry
            .ToListAsync(cancellationToken);
        if (lapsed.Count == 0)
        {
            return false;
        }

        foreach (var stale in lapsed)
        {
            stale.Expire(now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // The expiry job or a payment moved one of them first; their outcome stands, and nothing of this save was kept.
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private Task<int> LiveSeatsOfFanAsync(Guid fanId, long performanceId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking()
            .Where(o => o.FanId == fanId && o.PerformanceId == performanceId
                && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PaymentPending || (o.Status == OrderStatus.Pending && o.ExpiresAt > now)))
            .SelectMany(o => o.Lines)
            .CountAsync(l => l.IsLive, cancellationToken);
}
