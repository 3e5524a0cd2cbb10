using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Contract;

/// <summary>
/// Inventory-aware admission, one contract for both queue stores: the controller's facts (seats-left cap, health rate
/// factor, sold out) pace every advance while valid, and the room falls back to its set rate once they are stale.
/// </summary>
public abstract class InventoryAdmissionContractTests
{
    private const long Abandon = 300_000;
    private static readonly long T0 = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly SeededRandomSource _random = new(11);

    internal abstract IQueueStore Store { get; }

    private ulong Seed => _random.NextSeed();

    private static RoomInventory Facts(long at, long available, long held, long cap, double factor = 1, long validMs = 60_000) =>
        new(at, at + validMs, available, held, cap, available == 0 && held == 0, factor, 12.5, 0.001);

    private string OpenRoomWithFans(double ratePerSecond, int fans)
    {
        var id = QueueStoreContractTests.NewRoomId();
        Store.PutRoom(QueueStoreContractTests.Room(id, ratePerSecond) with { FansPerAvailableSeat = 1.5 }, T0, Seed);
        for (var i = 0; i < fans; i++)
        {
            Store.Join(id, QueueStoreContractTests.Fan(i), T0, Seed, Abandon);
        }

        return id;
    }

    /// <summary>Every fan asks (claiming when served, with a pass for <paramref name="passMs"/>); returns how many hold a pass after.</summary>
    private int PollAll(string id, int fans, long now, long passMs = 300_000)
    {
        var admitted = 0;
        for (var i = 0; i < fans; i++)
        {
            var fan = QueueStoreContractTests.Fan(i);
            var view = Store.Status(id, fan, now, Seed, Abandon);
            if (view.Kind == FanKind.Queued && view.Number <= view.Room.Serving)
            {
                view = Store.Claim(id, fan, view.Number, now, Seed, now + passMs, "jti-" + i).Outcome == ClaimOutcome.Admitted
                    ? view with { Kind = FanKind.Admitted }
                    : view;
            }

            if (view.Kind == FanKind.Admitted)
            {
                admitted++;
            }
        }

        return admitted;
    }

    [Fact]
    public void The_seats_left_cap_stops_admission_and_more_seats_left_resume_it()
    {
        const int fans = 40;
        var id = OpenRoomWithFans(10, fans);
        Assert.True(Store.SetInventory(id, Facts(T0, available: 2, held: 0, cap: 3), T0, Seed));

        Assert.Equal(3, PollAll(id, fans, T0 + 1000));
        Assert.Equal(3, PollAll(id, fans, T0 + 2000));
        Assert.Equal(3, PollAll(id, fans, T0 + 3000));
        var stats = Store.Stats(id, T0 + 3000, Seed)!;
        Assert.Equal(3, stats.Serving);
        Assert.Equal(3, stats.Active);
        Assert.Equal(AdmissionPacing.Inventory, stats.Pacing);
        Assert.Equal(3, stats.InventoryCap);
        Assert.Equal(2, stats.SeatsAvailable);
        Assert.False(stats.SoldOut);

        // Holds lapsed or were cancelled: more seats left, a higher cap, admission resumes up to it (not beyond).
        Store.SetInventory(id, Facts(T0 + 3500, available: 4, held: 0, cap: 6), T0 + 3500, Seed);
        Assert.Equal(6, PollAll(id, fans, T0 + 4000));
        Assert.Equal(6, PollAll(id, fans, T0 + 9000));
        Assert.Equal(6, Store.Stats(id, T0 + 9000, Seed)!.Serving);
    }

    [Fact]
    public void Fans_whose_passes_end_make_room_under_the_cap()
    {
        const int fans = 10;
        var id = OpenRoomWithFans(5, fans);
        Store.SetInventory(id, Facts(T0, available: 1, held: 3, cap: 2), T0, Seed);

        Assert.Equal(2, PollAll(id, fans, T0 + 1000, passMs: 2000));
        Assert.Equal(2, PollAll(id, fans, T0 + 2000, passMs: 2000));

        // Their passes ended at T0 + 3000: they are done, two more may come in.
        Assert.Equal(2, PollAll(id, fans, T0 + 4000, passMs: 60_000));
        Assert.Equal(4, Store.Stats(id, T0 + 4000, Seed)!.Serving);
    }

    [Fact]
    public void A_claim_over_the_cap_is_refused_even_for_a_fan_already_served()
    {
        const int fans = 6;
        var id = OpenRoomWithFans(5, fans);
        var served = Store.Status(id, QueueStoreContractTests.Fan(0), T0 + 1000, Seed, Abandon);
        Assert.Equal(5, served.Room.Serving);

        // The seats went before these fans claimed: the cap is 0 now.
        Store.SetInventory(id, Facts(T0 + 1100, available: 0, held: 2, cap: 0), T0 + 1100, Seed);
        var claim = Store.Claim(id, QueueStoreContractTests.Fan(0), 1, T0 + 1200, Seed, T0 + 60_000, "jti");
        Assert.Equal(ClaimOutcome.CapFull, claim.Outcome);
    }

    [Fact]
    public void Sold_out_is_in_every_answer_and_the_counter_stands_still_until_seats_come_back()
    {
        const int fans = 8;
        var id = OpenRoomWithFans(5, fans);
        Store.SetInventory(id, Facts(T0, available: 0, held: 0, cap: 0), T0, Seed);

        var view = Store.Status(id, QueueStoreContractTests.Fan(3), T0 + 2000, Seed, Abandon);
        Assert.True(view.Room.SoldOut);
        Assert.Equal(0, view.Room.Serving);
        var joined = Store.Join(id, "late-fan", T0 + 2000, Seed, Abandon);
        Assert.True(joined.Room.SoldOut);
        var stats = Store.Stats(id, T0 + 2000, Seed)!;
        Assert.True(stats.SoldOut);
        Assert.Equal(AdmissionPacing.Inventory, stats.Pacing);

        // A paid order was cancelled: seats are back, the room is not sold out and admits again.
        Store.SetInventory(id, Facts(T0 + 2500, available: 2, held: 0, cap: 3), T0 + 2500, Seed);
        Assert.False(Store.Status(id, QueueStoreContractTests.Fan(3), T0 + 2600, Seed, Abandon).Room.SoldOut);
        Assert.Equal(3, PollAll(id, fans, T0 + 3000));
    }

    [Fact]
    public void A_backed_off_rate_admits_that_share_of_the_set_rate()
    {
        const int fans = 100;
        var id = OpenRoomWithFans(10, fans);
        Store.SetInventory(id, Facts(T0, available: 1000, held: 0, cap: -1, factor: 0.5), T0, Seed);

        var view = Store.Status(id, QueueStoreContractTests.Fan(0), T0 + 4000, Seed, Abandon);
        Assert.Equal(20, view.Room.Serving);
        Assert.Equal(5, view.Room.RatePerSecond);
        var stats = Store.Stats(id, T0 + 4000, Seed)!;
        Assert.Equal(AdmissionPacing.Health, stats.Pacing);
        Assert.Equal(0.5, stats.RateFactor);
        Assert.Null(stats.InventoryCap);
        Assert.Equal(12.5, stats.WebApiP99Ms);
    }

    [Fact]
    public void Stale_facts_are_ignored_and_the_room_admits_at_its_set_rate()
    {
        const int fans = 20;
        var id = OpenRoomWithFans(1, fans);
        Store.SetInventory(id, Facts(T0, available: 0, held: 5, cap: 0, factor: 0.5, validMs: 3000), T0, Seed);
        Assert.Equal(0, Store.Status(id, QueueStoreContractTests.Fan(0), T0 + 2000, Seed, Abandon).Room.Serving);

        // The controller stopped: its facts lapsed at T0 + 3000; seconds 3 and 4 count at the full set rate.
        var view = Store.Status(id, QueueStoreContractTests.Fan(0), T0 + 4000, Seed, Abandon);
        Assert.Equal(2, view.Room.Serving);
        Assert.Equal(1, view.Room.RatePerSecond);
        var stats = Store.Stats(id, T0 + 4000, Seed)!;
        Assert.Equal(AdmissionPacing.Rate, stats.Pacing);
        Assert.Null(stats.InventoryCap);
        Assert.Null(stats.InventoryAt);
        Assert.Equal(1, stats.RateFactor);
    }

    [Fact]
    public async Task Subscribers_hear_when_a_room_sells_out_and_when_seats_come_back_but_not_otherwise()
    {
        var id = OpenRoomWithFans(1, 1);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var soldOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Store.SubscribeInventoryChanges(room =>
        {
            if (room != id)
            {
                return;
            }

            heard.Enqueue(room);
            (heard.Count == 1 ? soldOut : back).TrySetResult();
        });

        Store.SetInventory(id, Facts(T0, available: 3, held: 0, cap: 4), T0, Seed);
        Store.SetInventory(id, Facts(T0 + 1000, available: 0, held: 0, cap: 0), T0 + 1000, Seed);
        await soldOut.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Store.SetInventory(id, Facts(T0 + 2000, available: 0, held: 0, cap: 0), T0 + 2000, Seed);
        Store.SetInventory(id, Facts(T0 + 3000, available: 1, held: 0, cap: 1), T0 + 3000, Seed);
        await back.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, heard.Count);
    }

    [Fact]
    public void The_admission_settings_are_kept_and_changed_live_and_unknown_rooms_take_no_facts()
    {
        var id = QueueStoreContractTests.NewRoomId();
        var room = QueueStoreContractTests.Room(id, 2) with { FansPerAvailableSeat = 1.5, MaxWebApiP99Ms = 250, MaxWebApiErrorRate = 0.02 };
        Store.PutRoom(room, T0, Seed);
        var read = Store.GetRoom(id)!;
        Assert.Equal(1.5, read.FansPerAvailableSeat);
        Assert.Equal(250, read.MaxWebApiP99Ms);
        Assert.Equal(0.02, read.MaxWebApiErrorRate);

        var updated = Store.UpdateRoom(id, new RoomUpdate(null, null, null, null, null, null) { FansPerAvailableSeat = 0, MaxWebApiP99Ms = 400 }, T0 + 1, Seed)!;
        Assert.Equal(0, updated.FansPerAvailableSeat);
        Assert.Equal(400, updated.MaxWebApiP99Ms);
        Assert.Equal(0.02, updated.MaxWebApiErrorRate);

        Assert.False(Store.SetInventory("no-such-" + id, Facts(T0, 1, 1, 1), T0, Seed));
        Assert.Null(Store.GetInventory(id));
        var facts = Facts(T0 + 5, available: 7, held: 2, cap: 10, factor: 0.25);
        Store.SetInventory(id, facts, T0 + 5, Seed);
        Assert.Equal(facts, Store.GetInventory(id));
    }
}

public sealed class InProcessInventoryAdmissionContractTests : InventoryAdmissionContractTests
{
    internal override IQueueStore Store { get; } = new InProcessQueueStore();
}

[Collection(RedisCollection.Name)]
public sealed class RedisInventoryAdmissionContractTests(RedisServerFixture redis) : InventoryAdmissionContractTests
{
    internal override IQueueStore Store { get; } = new RedisQueueStore(redis.Connection, "wrinv");
}
