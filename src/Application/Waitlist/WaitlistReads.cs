using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Waitlist;

namespace Ticketing.Application.Waitlist;

/// <summary>How a fan's waitlist entry reads: shared by the use cases that answer with it.</summary>
internal static class WaitlistReads
{
    public static readonly Error NotJoined = Error.NotFound("waitlist.not_joined", "You are not on this performance's waitlist.");

    public static string StatusName(this WaitlistEntryStatus status) => status switch
    {
        WaitlistEntryStatus.Waiting => "waiting",
        WaitlistEntryStatus.Served => "served",
        WaitlistEntryStatus.Left => "left",
        _ => status.ToString(),
    };

    public static async Task<WaitlistEntryDto> ToDtoAsync(IAppDbContext db, WaitlistEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int? position = null;
        if (entry.Status == WaitlistEntryStatus.Waiting)
        {
            position = 1 + await db.WaitlistEntries.AsNoTracking().CountAsync(
                e => e.PerformanceId == entry.PerformanceId && e.Status == WaitlistEntryStatus.Waiting
                    && (e.JoinedAt < entry.JoinedAt || (e.JoinedAt == entry.JoinedAt && e.Id < entry.Id)),
                cancellationToken);
        }

        var offers = await OffersAsync(db, entry.FanId, entry.PerformanceId, now, cancellationToken);
        return new WaitlistEntryDto(entry.PerformanceId, entry.Status.StatusName(), entry.GradeCode, entry.Seats, entry.Together, entry.SeatsOffered, entry.JoinedAt, position, offers);
    }

    /// <summary>Every offer made to the fan for the performance, newest first, with its order's current status.</summary>
    public static async Task<IReadOnlyList<WaitlistOfferDto>> OffersAsync(IAppDbContext db, Guid fanId, long performanceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var offers = await db.WaitlistOffers.AsNoTracking()
            .Where(o => o.FanId == fanId && o.PerformanceId == performanceId)
            .Select(o => new { o.OrderId, o.OfferedAt })
            .ToListAsync(cancellationToken);
        if (offers.Count == 0)
        {
            return [];
        }

        var ids = offers.Select(o => o.OrderId).ToList();
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        return offers.Where(o => orders.ContainsKey(o.OrderId))
            .OrderByDescending(o => o.OfferedAt).ThenByDescending(o => o.OrderId)
            .Select(o => ToOfferDto(orders[o.OrderId], o.OfferedAt, now))
            .ToList();
    }

    private static WaitlistOfferDto ToOfferDto(Order order, DateTimeOffset offeredAt, DateTimeOffset now)
    {
        var dto = Orders.OrderMapping.ToHeldOrderDto(order, now);
        return new WaitlistOfferDto(dto.Id, dto.PerformanceId, dto.Status, dto.TotalAmount, offeredAt, order.ExpiresAt, dto.Seats);
    }
}
