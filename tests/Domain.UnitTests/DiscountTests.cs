using Ticketing.Domain.Common;
using Ticketing.Domain.Discounts;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.UnitTests;

public sealed class DiscountTests
{
    private static readonly DateTimeOffset Now = Builders.Now;

    [Theory]
    [InlineData(DiscountKind.Percent, 10, 165_000, 148_500)]
    [InlineData(DiscountKind.Percent, 15, 99_999, 84_999)] // 14,999.85 off, rounded up in the fan's favour
    [InlineData(DiscountKind.Percent, 99, 99_000, 990)]
    [InlineData(DiscountKind.Amount, 20_000, 165_000, 145_000)]
    [InlineData(DiscountKind.Amount, 165_000, 165_000, Discount.MinimumSeatPrice)]
    [InlineData(DiscountKind.Amount, 500_000, 99_000, Discount.MinimumSeatPrice)]
    public void The_price_is_the_face_price_less_the_reduction_and_never_below_the_floor(DiscountKind kind, long value, long face, long expected)
    {
        var discount = Discount.Create(1, new DiscountTerms("D", kind, value), Now);

        Assert.Equal(expected, discount.PriceFor(face));
    }

    [Fact]
    public void A_discount_is_offered_for_its_grade_inside_its_window_while_active()
    {
        var discount = Discount.Create(1, new DiscountTerms("Youth", DiscountKind.Amount, 1_000, GradeCode: "R", StartsAt: Now.AddHours(1), EndsAt: Now.AddHours(2)), Now);

        Assert.False(discount.IsOfferedAt(Now, "R"));
        Assert.True(discount.IsOfferedAt(Now.AddHours(1), "R"));
        Assert.False(discount.IsOfferedAt(Now.AddHours(1), "S"));
        Assert.False(discount.IsOfferedAt(Now.AddHours(2), "R"));
        discount.Change(new DiscountTerms("Youth", DiscountKind.Amount, 1_000, GradeCode: "R", IsActive: false), Now);
        Assert.False(discount.IsOfferedAt(Now.AddHours(1), "R"));
    }

    [Theory]
    [InlineData(DiscountKind.Percent, 0, "value")]
    [InlineData(DiscountKind.Percent, 100, "value")]
    [InlineData(DiscountKind.Amount, 0, "value")]
    public void Terms_that_would_make_a_seat_free_or_dearer_are_refused(DiscountKind kind, long value, string field)
    {
        var error = Assert.Throws<DomainException>(() => Discount.Create(1, new DiscountTerms("D", kind, value), Now));

        Assert.Contains(field, error.Errors.Keys);
    }

    [Fact]
    public void Bad_windows_limits_and_codes_are_refused_with_each_field_named()
    {
        var error = Assert.Throws<DomainException>(() => Discount.Create(1, new DiscountTerms(" ", DiscountKind.Percent, 10, QuantityLimit: 0, StartsAt: Now, EndsAt: Now, Code: "ab c"), Now));

        Assert.Equal(["couponCode", "endsAt", "name", "quantityLimit"], error.Errors.Keys.Order());
    }

    [Fact]
    public void A_coupon_code_is_kept_in_upper_case()
    {
        var coupon = Discount.Create(1, new DiscountTerms("Club", DiscountKind.Amount, 5_000, Code: " club-2026 "), Now);

        Assert.True(coupon.IsCoupon);
        Assert.Equal("CLUB-2026", coupon.Code);
    }

    [Fact]
    public void Pricing_an_order_recomputes_its_total_and_unnamed_seats_go_back_to_the_face_price()
    {
        var order = NewOrder();
        var early = WithId(Discount.Create(1, new DiscountTerms("Early", DiscountKind.Percent, 10), Now), 7);
        var youth = WithId(Discount.Create(1, new DiscountTerms("Youth", DiscountKind.Amount, 20_000, GradeCode: "R"), Now), 8);
        var version = order.Version;

        order.ApplyDiscounts(new Dictionary<long, Discount?> { [1] = early, [2] = youth }, Now);

        Assert.Equal(90_000 + 30_000, order.TotalAmount);
        Assert.Equal([(100_000L, 90_000L, (long?)7), (50_000L, 30_000L, 8)], order.Lines.Select(l => (l.FacePrice, l.Price, l.DiscountId)));
        Assert.True(order.Version > version);

        order.ApplyDiscounts(new Dictionary<long, Discount?> { [1] = early }, Now);
        Assert.Equal(90_000 + 50_000, order.TotalAmount);
        Assert.Null(order.Lines[1].DiscountId);
    }

    [Fact]
    public void A_discount_of_another_grade_performance_or_window_is_refused_and_nothing_changes()
    {
        var order = NewOrder();
        var sOnly = WithId(Discount.Create(1, new DiscountTerms("S only", DiscountKind.Percent, 10, GradeCode: "S"), Now), 1);
        var elsewhere = WithId(Discount.Create(2, new DiscountTerms("Other show", DiscountKind.Percent, 10), Now), 2);
        var later = WithId(Discount.Create(1, new DiscountTerms("Later", DiscountKind.Percent, 10, StartsAt: Now.AddMinutes(1)), Now), 3);

        foreach (var discount in new[] { sOnly, elsewhere, later })
        {
            var error = Assert.Throws<DomainException>(() => order.ApplyDiscounts(new Dictionary<long, Discount?> { [1] = discount }, Now));
            Assert.Equal("discount.not_applicable", error.Code);
        }

        Assert.Equal(150_000, order.TotalAmount);
        Assert.Equal("order.seats_not_in_order", Assert.Throws<DomainException>(() => order.ApplyDiscounts(new Dictionary<long, Discount?> { [99] = null }, Now)).Code);
    }

    [Fact]
    public void A_seat_keeps_its_discount_and_price_after_the_window_closes_but_only_a_pending_hold_is_priced()
    {
        var order = NewOrder();
        var flash = WithId(Discount.Create(1, new DiscountTerms("Flash", DiscountKind.Percent, 50, EndsAt: Now.AddMinutes(1)), Now), 4);
        order.ApplyDiscounts(new Dictionary<long, Discount?> { [1] = flash }, Now);

        order.ApplyDiscounts(new Dictionary<long, Discount?> { [1] = flash }, Now.AddMinutes(2));
        Assert.Equal(50_000 + 50_000, order.TotalAmount);

        order.BeginPayment("pk", Now.AddMinutes(3), Now.AddMinutes(4));
        Assert.Equal("order.not_discountable", Assert.Throws<DomainException>(() => order.ApplyDiscounts(new Dictionary<long, Discount?>(), Now.AddMinutes(3))).Code);
        var expired = NewOrder();
        Assert.Equal("order.not_discountable", Assert.Throws<DomainException>(() => expired.ApplyDiscounts(new Dictionary<long, Discount?>(), Now.AddMinutes(10))).Code);
    }

    private static Order NewOrder() => Order.Place(Guid.NewGuid(), 1, [new OrderLineDraft(1, "A-1", "R", 100_000), new OrderLineDraft(2, "A-2", "R", 50_000)], Now, TimeSpan.FromMinutes(10));

    private static Discount WithId(Discount discount, long id)
    {
        typeof(Discount).GetProperty(nameof(Discount.Id))!.SetValue(discount, id);
        return discount;
    }
}
