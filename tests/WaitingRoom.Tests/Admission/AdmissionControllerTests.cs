using Ticketing.WaitingRoom.Admission;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Tests.Admission;

/// <summary>The controller's formulas: the seats-left cap, sold out, and the health back-off (halve when over a limit, +0.1 when not).</summary>
public sealed class AdmissionControllerTests
{
    private const long Now = 1_000_000;
    private static readonly AdmissionOptions Settings = new();

    private static RoomDefinition Room(double fansPerSeat = 1.5, int maxP99 = 0, double maxErrors = 0) =>
        new RoomDefinition("r", [1, 2], 10, 0, 300, DateTimeOffset.UnixEpoch, RoomMode.Open)
        {
            FansPerAvailableSeat = fansPerSeat,
            MaxWebApiP99Ms = maxP99,
            MaxWebApiErrorRate = maxErrors,
        };

    private static Dictionary<long, PerformanceInventoryDto> Seats(int available1, int held1, int available2, int held2) => new()
    {
        [1] = new PerformanceInventoryDto(1, 100, available1, held1),
        [2] = new PerformanceInventoryDto(2, 100, available2, held2),
    };

    [Fact]
    public void The_cap_is_the_seats_left_over_the_rooms_performances_times_the_factor_rounded_down()
    {
        var facts = AdmissionController.Decide(Room(1.5), Seats(3, 4, 4, 0), null, null, Now, Settings)!;
        Assert.Equal(7, facts.Available);
        Assert.Equal(4, facts.Held);
        Assert.Equal(10, facts.ActiveCap);
        Assert.False(facts.SoldOut);
        Assert.Equal(Now + (Settings.StaleAfterSeconds * 1000L), facts.ValidUntilMs);
        Assert.Equal(-1, AdmissionController.Decide(Room(0), Seats(3, 4, 4, 0), null, null, Now, Settings)!.ActiveCap);
    }

    [Fact]
    public void Sold_out_only_when_nothing_is_available_and_no_hold_can_come_back()
    {
        Assert.False(AdmissionController.Decide(Room(), Seats(0, 1, 0, 0), null, null, Now, Settings)!.SoldOut);
        var sold = AdmissionController.Decide(Room(), Seats(0, 0, 0, 0), null, null, Now, Settings)!;
        Assert.True(sold.SoldOut);
        Assert.Equal(0, sold.ActiveCap);
        Assert.True(AdmissionController.Decide(Room(0), Seats(0, 0, 0, 0), null, null, Now, Settings)!.SoldOut);
    }

    [Fact]
    public void A_performance_missing_from_the_report_leaves_the_room_without_new_facts()
    {
        var seats = Seats(1, 1, 1, 1);
        seats.Remove(2);
        Assert.Null(AdmissionController.Decide(Room(), seats, null, null, Now, Settings));
    }

    [Fact]
    public void The_rate_halves_each_unhealthy_second_down_to_the_floor_and_recovers_by_steps()
    {
        var room = Room(maxP99: 200, maxErrors: 0.05);
        var slow = new WebApiHealthDto(10, 5000, 350, 0.001);
        var failing = new WebApiHealthDto(10, 5000, 20, 0.2);
        var healthy = new WebApiHealthDto(10, 5000, 20, 0.001);
        RoomInventory? facts = null;
        var factors = new List<double>();
        for (var second = 0; second < 7; second++)
        {
            facts = AdmissionController.Decide(room, Seats(9, 0, 9, 0), second % 2 == 0 ? slow : failing, facts, Now + (second * 1000), Settings)!;
            factors.Add(facts.RateFactor);
        }

        Assert.Equal([0.5, 0.25, 0.125, 0.0625, 0.05, 0.05, 0.05], factors);
        facts = AdmissionController.Decide(room, Seats(9, 0, 9, 0), healthy, facts, Now + 8000, Settings)!;
        Assert.Equal(0.15, facts.RateFactor, 6);
    }

    [Fact]
    public void No_limit_or_no_health_figures_never_back_off_and_stale_facts_start_again_from_full_rate()
    {
        var slow = new WebApiHealthDto(10, 5000, 9000, 0.9);
        Assert.Equal(1, AdmissionController.Decide(Room(), Seats(1, 0, 1, 0), slow, null, Now, Settings)!.RateFactor);
        Assert.Equal(1, AdmissionController.Decide(Room(maxP99: 100), Seats(1, 0, 1, 0), null, null, Now, Settings)!.RateFactor);

        var stale = new RoomInventory(0, Now - 1, 1, 0, 1, false, 0.05, null, null);
        Assert.Equal(0.5, AdmissionController.Decide(Room(maxP99: 100), Seats(1, 0, 1, 0), slow, stale, Now, Settings)!.RateFactor);
    }
}
