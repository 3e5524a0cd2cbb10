using Ticketing.Domain.Catalog;
using Ticketing.Domain.Common;
using static Ticketing.Domain.UnitTests.Builders;

namespace Ticketing.Domain.UnitTests;

public sealed class PerformanceTests
{
    [Fact]
    public void Sales_that_open_before_they_close_and_close_at_the_start_are_valid()
    {
        var start = Now.AddDays(10);

        var performance = NewEvent().AddPerformance(new PerformanceSchedule(start, Now, start), PerformanceRules.Default, SmallMap(), Now);

        Assert.Equal(start, performance.SalesCloseAt);
        Assert.Equal(2, performance.SeatCount);
        Assert.Single(performance.Grades);
    }

    [Fact]
    public void Sales_that_open_when_they_close_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => new PerformanceSchedule(Now.AddDays(2), Now.AddDays(1), Now.AddDays(1)).EnsureValid());

        Assert.Equal("performance.sales_window_empty", ex.Code);
    }

    [Fact]
    public void Sales_that_open_after_they_close_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => new PerformanceSchedule(Now.AddDays(2), Now.AddDays(1), Now).EnsureValid());

        Assert.Equal("performance.sales_window_empty", ex.Code);
    }

    [Fact]
    public void Sales_that_close_after_the_show_starts_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => new PerformanceSchedule(Now.AddDays(1), Now, Now.AddDays(1).AddSeconds(1)).EnsureValid());

        Assert.Equal("performance.sales_after_start", ex.Code);
    }

    [Fact]
    public void Adding_a_performance_with_a_bad_schedule_is_refused()
    {
        var e = NewEvent();

        Assert.Throws<DomainException>(() => e.AddPerformance(new PerformanceSchedule(Now, Now, Now.AddDays(1)), PerformanceRules.Default, SmallMap(), Now));
        Assert.Empty(e.Performances);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(1801)]
    public void A_hold_duration_outside_one_to_thirty_minutes_is_refused(int seconds)
    {
        var ex = Assert.Throws<DomainException>(() => (PerformanceRules.Default with { HoldDuration = TimeSpan.FromSeconds(seconds) }).EnsureValid());

        Assert.Equal("performance.hold_duration", ex.Code);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(1800)]
    public void A_hold_duration_of_one_or_thirty_minutes_is_accepted(int seconds)
    {
        (PerformanceRules.Default with { HoldDuration = TimeSpan.FromSeconds(seconds) }).EnsureValid();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void Seats_per_order_outside_one_to_twenty_are_refused(int perOrder)
    {
        var ex = Assert.Throws<DomainException>(() => (PerformanceRules.Default with { MaxSeatsPerOrder = perOrder, MaxSeatsPerFan = 100 }).EnsureValid());

        Assert.Equal("performance.max_seats_per_order", ex.Code);
    }

    [Fact]
    public void Seats_per_fan_below_seats_per_order_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => (PerformanceRules.Default with { MaxSeatsPerOrder = 4, MaxSeatsPerFan = 3 }).EnsureValid());

        Assert.Equal("performance.max_seats_per_fan", ex.Code);
    }

    [Fact]
    public void Seats_per_fan_above_five_orders_worth_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => (PerformanceRules.Default with { MaxSeatsPerOrder = 20, MaxSeatsPerFan = 101 }).EnsureValid());

        Assert.Equal("performance.max_seats_per_fan", ex.Code);
    }

    [Fact]
    public void Seats_per_fan_equal_to_seats_per_order_are_accepted()
    {
        (PerformanceRules.Default with { MaxSeatsPerOrder = 20, MaxSeatsPerFan = 20 }).EnsureValid();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void A_queue_pass_without_a_waiting_room_is_refused(string? roomId)
    {
        var ex = Assert.Throws<DomainException>(() => (PerformanceRules.Default with { RequiresQueuePass = true, WaitingRoomId = roomId }).EnsureValid());

        Assert.Equal("performance.waiting_room_required", ex.Code);
    }

    [Fact]
    public void A_waiting_room_id_longer_than_sixty_four_characters_is_refused()
    {
        var rules = PerformanceRules.Default with { RequiresQueuePass = true, WaitingRoomId = new string('r', Performance.MaxWaitingRoomIdLength + 1) };

        Assert.Throws<DomainException>(rules.EnsureValid);
    }

    [Fact]
    public void A_queue_pass_with_a_room_keeps_the_room_and_without_a_pass_the_room_is_dropped()
    {
        var performance = NewEvent().AddPerformance(Schedule(), PerformanceRules.Default with { RequiresQueuePass = true, WaitingRoomId = "room-1" }, SmallMap(), Now);
        Assert.True(performance.RequiresQueuePass);
        Assert.Equal("room-1", performance.WaitingRoomId);

        performance.ChangeRules(PerformanceRules.Default with { WaitingRoomId = "room-1" });

        Assert.False(performance.RequiresQueuePass);
        Assert.Null(performance.WaitingRoomId);
    }

    [Fact]
    public void A_performance_is_on_sale_from_opening_until_just_before_closing()
    {
        var schedule = Schedule();
        var performance = NewEvent().AddPerformance(schedule, PerformanceRules.Default, SmallMap(), Now);

        Assert.False(performance.IsOnSale(schedule.SalesOpenAt.AddTicks(-1)));
        Assert.True(performance.IsOnSale(schedule.SalesOpenAt));
        Assert.False(performance.IsOnSale(schedule.SalesCloseAt));
    }

    [Fact]
    public void Rescheduling_with_a_bad_window_keeps_the_old_schedule()
    {
        var schedule = Schedule();
        var performance = NewEvent().AddPerformance(schedule, PerformanceRules.Default, SmallMap(), Now);

        Assert.Throws<DomainException>(() => performance.Reschedule(schedule with { SalesCloseAt = schedule.StartsAt.AddHours(1) }));

        Assert.Equal(schedule.SalesCloseAt, performance.SalesCloseAt);
    }
}
