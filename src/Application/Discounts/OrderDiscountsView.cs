using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Orders;
using Ticketing.Domain.Discounts;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Discounts;

/// <summary>Builds the price step of an order: the discounts each seat may take now and the server's totals.</summary>
internal static class OrderDiscountsView
{
    public static async Task<OrderDiscountsDto> BuildAsync(IAppDbContext db, Order order, Discount? coupon, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var chosen = order.Lines.Where(l => l.DiscountId is not null).Select(l => l.DiscountId!.Value).Distinct().ToList();
        var discounts = await db.Discounts.AsNoTracking()
            .Where(d => d.PerformanceId == order.PerformanceId && ((d.Code == null && d.IsActive) || chosen.Contains(d.Id)))
            .ToListAsync(cancellationToken);
        if (coupon is not null && discounts.All(d => d.Id != coupon.Id))
        {
            discounts.Add(coupon);
        }

        var open = DiscountAccess.IsOpen(order, now);
        var inUse = await DiscountAccess.InUseAsync(db, discounts.Where(d => d.QuantityLimit is not null).Select(d => d.Id).ToList(), order.Id, cancellationToken);
        var seats = order.Lines.OrderBy(l => l.SeatId).Select(l => new SeatDiscountsDto(
            l.SeatId,
            l.Label,
            l.GradeCode,
            l.FacePrice,
            l.Price,
            l.DiscountId,
            open
                ? discounts.Where(d => d.Id == l.DiscountId || d.IsOfferedAt(now, l.GradeCode))
                    .OrderBy(d => d.Id)
                    .Select(d => new SeatPriceOptionDto(d.Id, d.Id == l.DiscountId ? l.Price : d.PriceFor(l.FacePrice)))
                    .ToList()
                : [])).ToList();
        var offered = discounts
            .Where(d => seats.Any(s => s.DiscountId == d.Id || s.Options.Any(o => o.DiscountId == d.Id)))
            .OrderBy(d => d.IsCoupon).ThenBy(d => d.Id)
            .Select(d => new DiscountOptionDto(
                d.Id,
                d.Name,
                DiscountNames.Of(d.Kind),
                d.Value,
                d.GradeCode,
                d.Rule,
                d.IsCoupon,
                d.QuantityLimit is { } limit ? Math.Max(0, limit - inUse.GetValueOrDefault(d.Id)) : null,
                d.EndsAt))
            .ToList();
        var face = order.Lines.Sum(l => l.FacePrice);
        return new OrderDiscountsDto(
            order.Number,
            OrderMapping.DisplayedStatus(order, now).StatusName(),
            order.ExpiresAt,
            face,
            face - order.TotalAmount,
            order.TotalAmount,
            coupon?.Code,
            seats,
            offered);
    }
}
