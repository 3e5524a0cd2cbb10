using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Domain.Common;
using Ticketing.Domain.Discounts;

namespace Ticketing.Application.Discounts;

/// <summary>
/// The fan prices the seats of their pending hold: one discount (or none) per seat, and at most one coupon code for
/// the order. Seats not named go back to the grade's price. The server computes every price and the total, which is
/// then the only amount a payment confirmation accepts.
/// </summary>
/// <remarks>
/// A discount with a quantity limit is never carried by more seats than its limit, whatever the number of fans and
/// processes: each order that takes seats of it bumps the discount's row version in the same save as its lines,
/// after reading that version and then counting the live seats that carry it. Two orders that read the same count
/// cannot both save (the second finds the version moved and reads again). Seats given back (expired, cancelled,
/// refunded) stop being live, so their use returns without any further write.
/// </remarks>
public sealed record ApplyOrderDiscounts(Guid FanId, Guid OrderId, string? Coupon, IReadOnlyList<DiscountChoice>? Seats) : IRequest<Result<OrderDiscountsDto>>;

public sealed class ApplyOrderDiscountsValidator : AbstractValidator<ApplyOrderDiscounts>
{
    public ApplyOrderDiscountsValidator()
    {
        RuleFor(x => x.Coupon).MaximumLength(Discount.MaxCodeLength).OverridePropertyName("coupon");
        RuleFor(x => x.Seats).Must(s => s is null || s.Count <= 100).WithMessage("At most 100 seats.").OverridePropertyName("seats");
        RuleFor(x => x.Seats).Must(s => s is null || s.All(c => c is not null)).WithMessage("A seat choice is empty.").OverridePropertyName("seats");
        RuleFor(x => x.Seats).Must(s => s is null || s.Where(c => c is not null).Select(c => c.SeatId).Distinct().Count() == s.Count)
            .WithMessage("A seat appears twice, or a seat choice is empty.").OverridePropertyName("seats");
    }
}

public sealed partial class ApplyOrderDiscountsHandler(IAppDbContext db, TimeProvider clock, ILogger<ApplyOrderDiscountsHandler> logger)
    : IRequestHandler<ApplyOrderDiscounts, Result<OrderDiscountsDto>>
{
    /// <summary>
    /// Reads-and-saves before giving up with 409. A failed save means another order took seats of the same limited
    /// discount (or this order moved), so a fan retries at most once per seat taken meanwhile.
    /// </summary>
    public const int MaxAttempts = 40;

    public async Task<Result<OrderDiscountsDto>> Handle(ApplyOrderDiscounts request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var outcome = await TryApplyAsync(request, cancellationToken);
            if (outcome is { } done)
            {
                return done;
            }

            LogRetry(logger, request.OrderId, attempt);
        }

        return Error.Conflict("discount.busy", "Many fans are choosing this discount right now; try again.");
    }

    /// <summary>The outcome, or null when the save lost a race and the whole choice must be read again.</summary>
    private async Task<Result<OrderDiscountsDto>?> TryApplyAsync(ApplyOrderDiscounts request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == request.OrderId && o.FanId == request.FanId, cancellationToken);
        if (order is null)
        {
            return OrderErrors.NotFound;
        }

        var now = clock.GetUtcNow();
        if (!DiscountAccess.IsOpen(order, now))
        {
            return Error.Conflict("order.not_discountable", $"The order is {OrderMapping.DisplayedStatus(order, now).StatusName()}; only a pending hold can be priced.");
        }

        Discount? coupon = null;
        if (!string.IsNullOrWhiteSpace(request.Coupon))
        {
            coupon = await DiscountAccess.CouponAsync(db, order.PerformanceId, request.Coupon, cancellationToken);
            if (coupon is null || !coupon.IsActive)
            {
                return DiscountAccess.InvalidCoupon;
            }
        }

        // The discounts are read (with their versions) before the seats using them are counted.
        var choices = request.Seats ?? [];
        var ids = choices.Where(c => c.DiscountId is not null).Select(c => c.DiscountId!.Value).Distinct().ToList();
        var discounts = await db.Discounts.Where(d => ids.Contains(d.Id) && d.PerformanceId == order.PerformanceId).ToDictionaryAsync(d => d.Id, cancellationToken);
        var unknown = ids.Where(id => !discounts.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            return NotApplicable($"No discount {string.Join(", ", unknown)} is offered on this performance.");
        }

        foreach (var choice in choices)
        {
            var line = order.Lines.FirstOrDefault(l => l.SeatId == choice.SeatId);
            if (line is null)
            {
                return NotApplicable($"Seat {choice.SeatId} is not in this order.");
            }

            // A coupon's discount needs its code, unless this seat already carries it.
            if (choice.DiscountId is { } id && discounts[id].IsCoupon && id != coupon?.Id && line.DiscountId != id)
            {
                return DiscountAccess.InvalidCoupon;
            }
        }

        var limited = discounts.Values.Where(d => d.QuantityLimit is not null).ToList();
        var inUse = await DiscountAccess.InUseAsync(db, limited.Select(d => d.Id).ToList(), order.Id, cancellationToken);
        foreach (var discount in limited)
        {
            var mine = choices.Count(c => c.DiscountId == discount.Id);
            var left = discount.QuantityLimit!.Value - inUse.GetValueOrDefault(discount.Id);
            if (mine > left)
            {
                return new Error(ErrorKind.Conflict, "discount.sold_out", $"'{discount.Name}' has {Math.Max(0, left)} seats left.")
                {
                    Data = new Dictionary<string, object?> { ["discountId"] = discount.Id, ["remaining"] = Math.Max(0, left) },
                };
            }

            discount.Claim();
        }

        try
        {
            order.ApplyDiscounts(choices.ToDictionary(c => c.SeatId, c => c.DiscountId is { } id ? discounts[id] : null), now);
        }
        catch (DomainException ex)
        {
            return NotApplicable(ex.Message);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }

        LogApplied(logger, order.Id, order.TotalAmount);
        return await OrderDiscountsView.BuildAsync(db, order, coupon, now, cancellationToken);
    }

    private static Error NotApplicable(string message) => Error.Validation("discount.not_applicable", message, new Dictionary<string, string[]>
    {
        ["seats"] = [message],
    });

    [LoggerMessage(EventId = 4700, Level = LogLevel.Information, Message = "Order {OrderId} priced: total {Total} won")]
    private static partial void LogApplied(ILogger logger, Guid orderId, long total);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Debug, Message = "Order {OrderId}: a discount changed while it was chosen (attempt {Attempt}); reading again")]
    private static partial void LogRetry(ILogger logger, Guid orderId, int attempt);
}
