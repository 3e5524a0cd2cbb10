using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Orders;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Waitlist;

namespace Ticketing.Application.Waitlist;

/// <summary>
/// Offers returned seats to the waitlist in the same save that returns them (<see cref="IReturnedSeats"/>).
/// </summary>
/// <remarks>
/// <para>Where seats go: seats of a lapsed or declined offer always pass to the waitlist; any seat that comes back
/// after the public sale closed (and before the show starts) goes to the waitlist; a refund during the open sale goes
/// where the performance's <see cref="Performance.ReturnedSeats"/> rule says. Everything else (a public hold that
/// expired or was cancelled during the open sale) is back on the seat map as before.</para>
/// <para>Fairness: fans are served in join order (<see cref="WaitlistEntry.JoinedAt"/>, then id). Each fan gets the
/// seats that fit (their grade; side by side when asked; never more than they still want nor past the performance's
/// per-fan limit); a fan the seats do not fit keeps their place for the next seats. Each seat goes into exactly one
/// new order, whose live line the database keeps unique per seat. Offers of one process are planned one at a time;
/// two instances racing on one entry are told apart by its version, and the loser plans again.</para>
/// </remarks>
public sealed partial class ReturnedSeatsOffering(
    IAppDbContext db,
    ISeatLock seatLock,
    IWaitlistNotifier notifier,
    TimeProvider clock,
    ILogger<ReturnedSeatsOffering> logger) : IReturnedSeats
{
    private const int MaxAttempts = 5;

    /// <summary>Plans and saves offers one at a time in this process (the entries' versions guard across processes).</summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>An offer shorter than this is not worth making (the show is about to start).</summary>
    private static readonly TimeSpan ShortestOffer = TimeSpan.FromMinutes(1);

    public async Task SaveAsync(SeatReturn reason, IReadOnlyList<ReturnedOrderSeats> returned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(returned);
        var candidates = returned.Where(r => r.SeatIds.Count > 0).ToList();
        var performanceIds = candidates.Select(r => r.Order.PerformanceId).Distinct().ToList();
        var waiting = performanceIds.Count == 0
            ? []
            : await db.WaitlistEntries.AsNoTracking()
                .Where(e => performanceIds.Contains(e.PerformanceId) && e.Status == WaitlistEntryStatus.Waiting)
                .Select(e => e.PerformanceId).Distinct().ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            // Nobody waits: the save is the caller's alone, as before the waitlist.
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        candidates = candidates.Where(c => waiting.Contains(c.Order.PerformanceId)).ToList();
        List<PlannedOffer> planned = [];
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                planned = await PlanAsync(reason, candidates, cancellationToken);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    break;
                }
                catch (DbUpdateConcurrencyException ex) when (attempt < MaxAttempts && planned.Count > 0 && ex.Entries.All(e => e.Entity is WaitlistEntry))
                {
                    // Another instance served one of these fans first: plan again from what it committed.
                    Forget(planned);
                    LogReplanned(logger, attempt);
                }
                catch
                {
                    Forget(planned);
                    throw;
                }
            }
        }
        finally
        {
            OneAtATime.Release();
        }

        foreach (var offer in planned)
        {
            LogOffered(logger, offer.Order.Id, offer.Entry.Id, offer.Order.PerformanceId, offer.Order.Lines.Count, reason);
            await HandOverLocksAsync(reason, offer);
            notifier.Offered(offer.Entry.FanId, ToDto(offer.Order, offer.Order.CreatedAt));
        }
    }

    public static WaitlistOfferDto ToDto(Order order, DateTimeOffset offeredAt)
    {
        var dto = order.ToHeldOrderDto(offeredAt);
        return new WaitlistOfferDto(dto.Id, dto.PerformanceId, dto.Status, dto.TotalAmount, offeredAt, order.ExpiresAt, dto.Seats);
    }

    private async Task<List<PlannedOffer>> PlanAsync(SeatReturn reason, List<ReturnedOrderSeats> candidates, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var planned = new List<PlannedOffer>();
        var orderIds = candidates.Select(c => c.Order.Id).ToList();
        var offerOrders = (await db.WaitlistOffers.AsNoTracking().Where(o => orderIds.Contains(o.OrderId)).Select(o => o.OrderId).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var byPerformance in candidates.GroupBy(c => c.Order.PerformanceId))
        {
            var performanceId = byPerformance.Key;
            var performance = await db.Performances.AsNoTracking()
                .Where(p => p.Id == performanceId)
                .Select(p => new { p.SalesCloseAt, p.StartsAt, p.ReturnedSeats, p.WaitlistOfferMinutes, p.MaxSeatsPerFan })
                .SingleOrDefaultAsync(cancellationToken);
            if (performance is null)
            {
                continue;
            }

            var duration = TimeSpan.FromMinutes(performance.WaitlistOfferMinutes);
            if (performance.StartsAt - now < duration)
            {
                duration = performance.StartsAt - now;
            }

            if (duration < ShortestOffer)
            {
                continue;
            }

            var salesClosed = now >= performance.SalesCloseAt;
            var pool = new List<PoolSeat>();
            foreach (var (order, seatIds) in byPerformance)
            {
                var toWaitlist = offerOrders.Contains(order.Id)
                    || salesClosed
                    || (reason == SeatReturn.Refund && performance.ReturnedSeats == ReturnedSeatsRule.Waitlist);
                if (!toWaitlist)
                {
                    continue;
                }

                pool.AddRange(order.Lines.Where(l => seatIds.Contains(l.SeatId) && !l.IsLive)
                    .Select(l => new PoolSeat(l.SeatId, l.Label, l.GradeCode, order.Number)));
            }

            if (pool.Count == 0)
            {
                continue;
            }

            planned.AddRange(await OfferAsync(performanceId, pool, duration, performance.MaxSeatsPerFan, now, cancellationToken));
        }

        return planned;
    }

    private async Task<List<PlannedOffer>> OfferAsync(long performanceId, List<PoolSeat> pool, TimeSpan duration, int maxSeatsPerFan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // An offer is priced at the grade's price of today, not at what the fan who gave the seat back paid.
        var prices = await db.PriceGrades.AsNoTracking().Where(g => g.PerformanceId == performanceId)
            .ToDictionaryAsync(g => g.Code, g => g.Price, StringComparer.Ordinal, cancellationToken);
        var poolIds = pool.Select(p => p.SeatId).ToList();
        var places = await db.Seats.AsNoTracking().Where(s => s.PerformanceId == performanceId && poolIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Section, s.Row, s.Number })
            .ToDictionaryAsync(s => s.Id, s => (s.Section, s.Row, s.Number), cancellationToken);
        var entries = await db.WaitlistEntries
            .Where(e => e.PerformanceId == performanceId && e.Status == WaitlistEntryStatus.Waiting)
            .OrderBy(e => e.JoinedAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var free = pool.Where(p => prices.ContainsKey(p.GradeCode)).OrderBy(p => p.SeatId).ToList();
        var planned = new List<PlannedOffer>();
        foreach (var entry in entries)
        {
            if (free.Count == 0)
            {
                break;
            }

            var fitting = free.Where(p => entry.GradeCode is null || p.GradeCode == entry.GradeCode).ToList();
            if (fitting.Count == 0 || (entry.Together && fitting.Count < entry.SeatsWanted))
            {
                continue;
            }

            var room = maxSeatsPerFan - await LiveSeatsOfFanAsync(entry.FanId, performanceId, now, cancellationToken);
            var want = Math.Min(entry.SeatsWanted, room);
            if (want < 1 || (entry.Together && want < entry.SeatsWanted))
            {
                continue;
            }

            var picked = entry.Together ? SideBySide(fitting, want, places) : fitting.Take(want).ToList();
            if (picked is not { Count: > 0 })
            {
                continue;
            }

            var order = Order.Place(entry.FanId, performanceId, picked.Select(p => new OrderLineDraft(p.SeatId, p.Label, p.GradeCode, prices[p.GradeCode])).ToList(), now, duration);
            db.Orders.Add(order);
            db.WaitlistOffers.Add(new WaitlistOffer(order.Id, entry.Id, performanceId, entry.FanId, picked.Count, now, order.ExpiresAt));
            entry.Offered(picked.Count, now);
            free.RemoveAll(picked.Contains);
            planned.Add(new PlannedOffer(order, entry, picked));
        }

        // Entries loaded but not served stay tracked unchanged; the ones served are saved with their offers.
        return planned;
    }

    /// <summary>Live seats of the fan for the performance (holds before their deadline, payments under way, paid).</summary>
    private Task<int> LiveSeatsOfFanAsync(Guid fanId, long performanceId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking()
            .Where(o => o.FanId == fanId && o.PerformanceId == performanceId
                && ((o.Status == OrderStatus.Pending && o.ExpiresAt > now) || o.Status == OrderStatus.PaymentPending || o.Status == OrderStatus.Paid))
            .SelectMany(o => o.Lines)
            .CountAsync(l => l.IsLive, cancellationToken);

    /// <summary><paramref name="count"/> seats next to each other in one row (consecutive numbers), or null.</summary>
    private static List<PoolSeat>? SideBySide(List<PoolSeat> fitting, int count, Dictionary<long, (string Section, string Row, string Number)> places)
    {
        foreach (var row in fitting.Where(p => places.ContainsKey(p.SeatId)).GroupBy(p => (places[p.SeatId].Section, places[p.SeatId].Row)))
        {
            var numbered = row
                .Select(p => (Seat: p, Ok: int.TryParse(places[p.SeatId].Number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n), Number: n))
                .Where(x => x.Ok).OrderBy(x => x.Number).ToList();
            for (var start = 0; start + count <= numbered.Count; start++)
            {
                if (numbered[start + count - 1].Number - numbered[start].Number == count - 1)
                {
                    return numbered.Skip(start).Take(count).Select(x => x.Seat).ToList();
                }
            }
        }

        return null;
    }

    /// <summary>Takes an unsaved plan out of the context, so that nothing of it is saved later by accident.</summary>
    private void Forget(List<PlannedOffer> planned)
    {
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (entry.Entity is WaitlistEntry or WaitlistOffer
                || (entry.Entity is Order o && planned.Any(p => p.Order == o))
                || (entry.Entity is OrderLine l && planned.Any(p => p.Order.Id == l.OrderId)))
            {
                entry.State = EntityState.Detached;
            }
        }

        planned.Clear();
    }

    /// <summary>
    /// After the commit the database already has each seat in its offer; the lock store follows: the old holder's
    /// lock (a sold marker for a refund, a hold otherwise) is released and the offer's hold is taken at once. A public
    /// hold slipping into that gap gets the lock but is refused by the database's unique index over live lines; the
    /// offer then tries again. If the store is down the offer stands: the database alone still refuses the seat.
    /// </summary>
    private async Task HandOverLocksAsync(SeatReturn reason, PlannedOffer offer)
    {
        var order = offer.Order;
        var seatIds = offer.Seats.Select(s => s.SeatId).ToList();
        try
        {
            foreach (var from in offer.Seats.GroupBy(s => s.FromHoldId))
            {
                var seats = from.Select(s => s.SeatId).ToList();
                if (reason == SeatReturn.Refund)
                {
                    await seatLock.ReleaseSoldAsync(order.PerformanceId, seats, from.Key, CancellationToken.None);
                }
                else
                {
                    await seatLock.ReleaseAsync(order.PerformanceId, seats, from.Key, CancellationToken.None);
                }
            }

            // The offer's lock is live for its whole ttl (no deadline of its own): past the offer's deadline the seat
            // still reads taken, so no public hold reclaims it before the expiry passes it to the next fan.
            var ttl = order.ExpiresAt - clock.GetUtcNow() + HoldSeatsHandler.LockGrace;
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var locked = await seatLock.TryAcquireAsync(order.PerformanceId, seatIds, order.Number, ttl, CancellationToken.None);
                if (locked.Acquired)
                {
                    return;
                }

                // Someone slipped into the gap (the database refuses them) or an old lapsed key is in the way.
                foreach (var (seatId, holder) in locked.LapsedHolders)
                {
                    await seatLock.ReleaseAsync(order.PerformanceId, [seatId], holder, CancellationToken.None);
                }
            }

            LogLockNotTaken(logger, order.Id);
        }
        catch (SeatLockUnavailableException ex)
        {
            LogLockUnavailable(logger, ex, order.Id);
        }
    }

    private sealed record PoolSeat(long SeatId, string Label, string GradeCode, string FromHoldId);

    private sealed record PlannedOffer(Order Order, WaitlistEntry Entry, List<PoolSeat> Seats);

    [LoggerMessage(EventId = 4800, Level = LogLevel.Information, Message = "Waitlist offer {OrderId} to entry {EntryId}: {Count} seats of performance {PerformanceId} ({Reason})")]
    private static partial void LogOffered(ILogger logger, Guid orderId, long entryId, long performanceId, int count, SeatReturn reason);

    [LoggerMessage(EventId = 4801, Level = LogLevel.Information, Message = "Waitlist offers planned again after another instance served a fan first (attempt {Attempt})")]
    private static partial void LogReplanned(ILogger logger, int attempt);

    [LoggerMessage(EventId = 4802, Level = LogLevel.Warning, Message = "Waitlist offer {OrderId}: the seat locks could not be taken; the database still keeps the seats the offer's")]
    private static partial void LogLockNotTaken(ILogger logger, Guid orderId);

    [LoggerMessage(EventId = 4803, Level = LogLevel.Warning, Message = "Waitlist offer {OrderId}: the seat lock store is unavailable; the database still keeps the seats the offer's")]
    private static partial void LogLockUnavailable(ILogger logger, Exception exception, Guid orderId);
}
