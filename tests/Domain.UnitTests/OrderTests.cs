using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using static Ticketing.Domain.UnitTests.Builders;

namespace Ticketing.Domain.UnitTests;

public sealed class OrderTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);

    [Fact]
    public void Placing_an_order_holds_its_seats_until_the_deadline_and_sums_the_prices()
    {
        var fan = Guid.NewGuid();

        var order = Order.Place(fan, 7, [new(1, "A-1", "R", 100), new(2, "A-2", "S", 50)], Now, Hold);

        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(150, order.TotalAmount);
        Assert.Equal(Now + Hold, order.ExpiresAt);
        Assert.All(order.Lines, l => Assert.True(l.IsLive));
        Assert.True(order.IsOwnedBy(fan));
        Assert.Equal(32, order.Number.Length);
    }

    [Fact]
    public void An_order_without_seats_is_refused()
    {
        Assert.Equal("order.no_seats", Assert.Throws<DomainException>(() => Order.Place(Guid.NewGuid(), 1, [], Now, Hold)).Code);
    }

    [Fact]
    public void An_order_with_a_seat_twice_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Order.Place(Guid.NewGuid(), 1, [new(1, "A-1", "R", 100), new(1, "A-1", "R", 100)], Now, Hold));

        Assert.Equal("order.duplicate_seats", ex.Code);
    }

    [Fact]
    public void An_order_with_a_free_seat_is_refused()
    {
        Assert.Equal("order.price", Assert.Throws<DomainException>(() => Order.Place(Guid.NewGuid(), 1, [new(1, "A-1", "R", 0)], Now, Hold)).Code);
    }

    [Fact]
    public void An_order_with_no_hold_time_is_refused()
    {
        Assert.Equal("order.hold_duration", Assert.Throws<DomainException>(() => Order.Place(Guid.NewGuid(), 1, [new(1, "A-1", "R", 100)], Now, TimeSpan.Zero)).Code);
    }

    [Fact]
    public void A_pending_order_holds_seats_only_before_its_deadline()
    {
        var order = NewOrder();

        Assert.True(order.HoldsSeatsAt(Now));
        Assert.True(order.HoldsSeatsAt(order.ExpiresAt.AddTicks(-1)));
        Assert.False(order.HoldsSeatsAt(order.ExpiresAt));
    }

    [Fact]
    public void Cancelling_a_pending_order_releases_its_seats()
    {
        var order = NewOrder();

        order.Cancel(Now.AddMinutes(1));

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.All(order.Lines, l => Assert.False(l.IsLive));
        Assert.False(order.HoldsSeatsAt(Now.AddMinutes(1)));
        Assert.Equal(1, order.Version);
        Assert.Equal(Now.AddMinutes(1), order.UpdatedAt);
    }

    [Fact]
    public void A_cancelled_order_cannot_be_cancelled_or_expire()
    {
        var order = NewOrder();
        order.Cancel(Now);

        Assert.Equal("order.not_cancellable", Assert.Throws<DomainException>(() => order.Cancel(Now)).Code);
        Assert.Equal("order.not_expirable", Assert.Throws<DomainException>(() => order.Expire(order.ExpiresAt)).Code);
    }

    [Fact]
    public void An_order_cannot_expire_before_its_deadline()
    {
        var order = NewOrder();

        Assert.Equal("order.not_due", Assert.Throws<DomainException>(() => order.Expire(order.ExpiresAt.AddTicks(-1))).Code);
        Assert.Equal(OrderStatus.Pending, order.Status);
    }

    [Fact]
    public void An_order_expires_at_its_deadline_and_releases_its_seats()
    {
        var order = NewOrder();

        order.Expire(order.ExpiresAt);

        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.All(order.Lines, l => Assert.False(l.IsLive));
        Assert.Equal("order.not_cancellable", Assert.Throws<DomainException>(() => order.Cancel(Now)).Code);
        Assert.Equal("order.not_expirable", Assert.Throws<DomainException>(() => order.Expire(order.ExpiresAt)).Code);
    }

    private static Order NewOrder() => Order.Place(Guid.NewGuid(), 1, [new(1, "A-1", "R", 100)], Now, Hold);
}
