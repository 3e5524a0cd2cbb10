using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;

namespace Ticketing.Application.Discounts;

/// <summary>
/// The price step of one of the caller's orders: per seat, the face price, the price charged now and the discounts it
/// may take (with what each would charge); a valid <paramref name="Coupon"/> code adds its coupon. Coupons are never
/// listed without their code. Another fan's order answers like a missing one.
/// </summary>
public sealed record GetOrderDiscounts(Guid FanId, Guid OrderId, string? Coupon = null) : IRequest<Result<OrderDiscountsDto>>;

public sealed class GetOrderDiscountsValidator : AbstractValidator<GetOrderDiscounts>
{
    public GetOrderDiscountsValidator()
    {
        RuleFor(x => x.Coupon).MaximumLength(Domain.Discounts.Discount.MaxCodeLength).OverridePropertyName("coupon");
    }
}

public sealed class GetOrderDiscountsHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<GetOrderDiscounts, Result<OrderDiscountsDto>>
{
    public async Task<Result<OrderDiscountsDto>> Handle(GetOrderDiscounts request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == request.OrderId && o.FanId == request.FanId, cancellationToken);
        if (order is null)
        {
            return OrderErrors.NotFound;
        }

        var now = clock.GetUtcNow();
        Domain.Discounts.Discount? coupon = null;
        if (!string.IsNullOrWhiteSpace(request.Coupon))
        {
            coupon = await DiscountAccess.CouponAsync(db, order.PerformanceId, request.Coupon, cancellationToken);
            if (coupon is null || !coupon.IsActive || !order.Lines.Any(l => coupon.IsOfferedAt(now, l.GradeCode)))
            {
                return DiscountAccess.InvalidCoupon;
            }
        }

        return await OrderDiscountsView.BuildAsync(db, order, coupon, now, cancellationToken);
    }
}
