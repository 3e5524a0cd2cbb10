using System.Security.Cryptography;
using StackExchange.Redis;
using Ticketing.WaitingRoom.Identity;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Contract;

/// <summary>
/// One behavioural contract for every <see cref="IQueueStore"/> adapter. Time is passed explicitly
/// (milliseconds), so nothing sleeps; each test uses its own room.
/// </summary>
public abstract partial class QueueStoreContractTests
{
    protected const long Abandon = 300_000;
    protected static readonly long T0 = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly SeededRandomSource _random = new(7);

    internal abstract IQueueStore Store { get; }

    protected ulong Seed => _random.NextSeed();

    internal static string NewRoomId() => "r" + Guid.NewGuid().ToString("N")[..12];

    internal static string Fan(int i) => "fan" + i.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    internal static RoomDefinition Room(string id, double ratePerSecond, RoomMode mode = RoomMode.Open, long? opensAtMs = null, int cap = 0, int lifetime = 300) =>
        new(id, [11, 12], ratePerSecond, cap, lifetime, DateTimeOffset.FromUnixTimeMilliseconds(opensAtMs ?? T0), mode);

    /// <summary>Does what the service does for a status request: read, compute the place, claim when the counter reached it.</summary>
    internal static (FanView View, long Place, ClaimOutcome? Claim) Poll(IQueueStore store, string room, string fan, long now, ulong seed)
    {
        var view = store.Status(room, fan, now, seed, Abandon);
        if (view.Kind is not (FanKind.Queued or FanKind.PreQueue) || !view.Room.Opened)
        {
            return (view, 0, null);
        }

        var place = view.Kind == FanKind.PreQueue ? PreQueueShuffle.PlaceOf(view.Number, view.Room.PreQueueCount, view.Room.ShuffleSeed) : view.Number;
        var may = view.Room.Mode == RoomMode.Passthrough || (view.Room.Mode == RoomMode.Open && place <= view.Room.Serving);
        if (!may)
        {
            return (view, place, null);
        }

        var claim = store.Claim(room, fan, place, now, seed, now + 300_000, "jti-" + fan);
        return (view, place, claim.Outcome);
    }

    /// <summary>Waiting fans ask now and then (as the page does), so nobody is dropped for silence.</summary>
    internal static void KeepAlive(IQueueStore store, string room, int from, int to, long now)
    {
        for (var i = from; i < to; i++)
        {
            store.Status(room, Fan(i), now, 1, Abandon);
        }
    }

    [Fact]
    public void Join_after_opening_gives_consecutive_places_and_a_rejoin_keeps_the_place()
    {
        var id = NewRoomId();
        Assert.True(Store.PutRoom(Room(id, 1), T0, Seed));
        for (var i = 0; i < 5; i++)
        {
            var view = Store.Join(id, Fan(i), T0 + 10, Seed, Abandon);
            Assert.Equal(FanKind.Queued, view.Kind);
            Assert.Equal(i + 1, view.Number);
        }

        var again = Store.Join(id, Fan(2), T0 + 20, Seed, Abandon);
        Assert.Equal(FanKind.Queued, again.Kind);
        Assert.Equal(3, again.Number);
        Assert.Equal(5, Store.Stats(id, T0 + 20, Seed)!.Tail);
    }

    [Fact]
    public void Unknown_room_and_unknown_fan_are_reported_as_such()
    {
        var id = NewRoomId();
        Assert.Equal(FanKind.NoRoom, Store.Join(id, Fan(1), T0, Seed, Abandon).Kind);
        Assert.Equal(FanKind.NoRoom, Store.Status(id, Fan(1), T0, Seed, Abandon).Kind);
        Assert.Null(Store.Stats(id, T0, Seed));
        Store.PutRoom(Room(id, 1), T0, Seed);
        Assert.Equal(FanKind.Unknown, Store.Status(id, Fan(1), T0, Seed, Abandon).Kind);
    }

    [Fact]
    public void Fairness_ten_thousand_fans_are_admitted_exactly_in_join_order()
    {
        const int fans = 10_000;
        const int rate = 500;
        var id = NewRoomId();
        Store.PutRoom(Room(id, rate), T0, Seed);
        for (var i = 0; i < fans; i++)
        {
            var view = Store.Join(id, Fan(i), T0 + 1 + (i / 100), Seed, Abandon);
            Assert.Equal(i + 1, view.Number);
        }

        var now = T0 + 500;
        var admitted = 0;
        while (admitted < fans)
        {
            now += 1000;
            var stopAt = Math.Min(fans, admitted + (2 * rate));
            var seenWaiting = false;
            for (var i = admitted; i < stopAt; i++)
            {
                var (_, place, claim) = Poll(Store, id, Fan(i), now, Seed);
                Assert.Equal(i + 1, place);
                if (claim == ClaimOutcome.Admitted)
                {
                    Assert.False(seenWaiting, $"fan {i} was admitted although an earlier fan still waits");
                    admitted = i + 1;
                }
                else
                {
                    seenWaiting = true;
                }
            }
        }

        var stats = Store.Stats(id, now, Seed)!;
        Assert.Equal(fans, stats.Admitted);
        Assert.Equal(fans, stats.Serving);
    }

    [Fact]
    public void Accuracy_admissions_per_minute_are_within_one_percent_of_the_rate()
    {
        const double perMinute = 100;
        var id = NewRoomId();
        Store.PutRoom(Room(id, perMinute / 60), T0, Seed);
        for (var i = 0; i < 1200; i++)
        {
            Store.Join(id, Fan(i), T0, Seed, Abandon);
        }

        var next = 0;
        var now = T0;
        var perMinuteCounts = new List<int>();
        for (var minute = 0; minute < 10; minute++)
        {
            KeepAlive(Store, id, next, 1200, now);
            var count = 0;
            for (var second = 0; second < 60; second++)
            {
                now += 1000;
                while (next < 1200)
                {
                    var (_, _, claim) = Poll(Store, id, Fan(next), now, Seed);
                    if (claim != ClaimOutcome.Admitted)
                    {
                        break;
                    }

                    next++;
                    count++;
                }
            }

            perMinuteCounts.Add(count);
        }

        foreach (var count in perMinuteCounts)
        {
            Assert.InRange(count, perMinute * 0.99, perMinute * 1.01);
        }
    }

    [Fact]
    public void Accuracy_holds_when_requests_arrive_at_irregular_moments()
    {
        const double perSecond = 7.5;
        var id = NewRoomId();
        Store.PutRoom(Room(id, perSecond), T0, Seed);
        for (var i = 0; i < 6000; i++)
        {
            Store.Join(id, Fan(i), T0, Seed, Abandon);
        }

        var random = new Random(3);
        var now = T0;
        while (now < T0 + 600_000)
        {
            now += random.Next(1, 3500);
            Store.Stats(id, Math.Min(now, T0 + 600_000), Seed);
        }

        var serving = Store.Stats(id, T0 + 600_000, Seed)!.Serving;
        Assert.InRange(serving, perSecond * 600 * 0.99, perSecond * 600 * 1.01);
    }

    [Fact]
    public void Serving_counter_never_runs_ahead_of_the_line()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 50), T0, Seed);
        Store.Join(id, Fan(0), T0, Seed, Abandon);
        Assert.Equal(1, Store.Stats(id, T0 + 60_000, Seed)!.Serving);

        // After an idle minute the next fan still waits for the next tick: no burst of stored-up capacity.
        var late = Store.Join(id, Fan(1), T0 + 60_100, Seed, Abandon);
        Assert.Equal(2, late.Number);
        Assert.Equal(1, late.Room.Serving);
        Assert.Equal(2, Store.Stats(id, T0 + 61_000, Seed)!.Serving);
    }

    [Fact]
    public void Number_ahead_never_goes_up_through_joins_ticks_and_mode_changes()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 3), T0, Seed);
        var random = new Random(11);
        var lastAhead = new Dictionary<int, long>();
        var now = T0;
        var joined = 0;
        for (var step = 0; step < 120; step++)
        {
            now += random.Next(100, 1500);
            for (var j = random.Next(0, 6); j > 0; j--)
            {
                Store.Join(id, Fan(joined++), now, Seed, Abandon);
            }

            if (step % 25 == 10)
            {
                Store.UpdateRoom(id, new RoomUpdate(null, null, RoomMode.Paused, null, null, null), now, Seed);
            }
            else if (step % 25 == 20)
            {
                Store.UpdateRoom(id, new RoomUpdate(random.Next(1, 5), null, RoomMode.Open, null, null, null), now, Seed);
            }

            for (var f = 0; f < joined; f++)
            {
                var view = Store.Status(id, Fan(f), now, Seed, Abandon);
                if (view.Kind != FanKind.Queued)
                {
                    continue;
                }

                var ahead = Math.Max(0, view.Number - view.Room.Serving - 1);
                if (lastAhead.TryGetValue(f, out var before))
                {
                    Assert.True(ahead <= before, $"fan {f}: ahead went from {before} to {ahead}");
                }

                lastAhead[f] = ahead;
            }
        }
    }

    [Fact]
    public void Pre_queue_fans_get_a_permutation_of_the_first_places_at_opening_and_later_fans_follow()
    {
        var id = NewRoomId();
        var opens = T0 + 60_000;
        Store.PutRoom(Room(id, 1000, RoomMode.Scheduled, opens), T0, Seed);
        for (var i = 0; i < 50; i++)
        {
            var view = Store.Join(id, Fan(i), T0 + i, Seed, Abandon);
            Assert.Equal(FanKind.PreQueue, view.Kind);
            Assert.False(view.Room.Opened);
        }

        var before = Store.Status(id, Fan(3), opens - 1, Seed, Abandon);
        Assert.Equal(FanKind.PreQueue, before.Kind);
        Assert.False(before.Room.Opened);

        var after = Store.Join(id, Fan(100), opens + 5, Seed, Abandon);
        Assert.Equal(FanKind.Queued, after.Kind);
        Assert.Equal(51, after.Number);
        Assert.Equal("open", Store.Stats(id, opens + 5, Seed)!.Mode);

        var places = new HashSet<long>();
        for (var i = 0; i < 50; i++)
        {
            var view = Store.Status(id, Fan(i), opens + 10, Seed, Abandon);
            Assert.Equal(FanKind.PreQueue, view.Kind);
            Assert.Equal(50, view.Room.PreQueueCount);
            places.Add(PreQueueShuffle.PlaceOf(view.Number, view.Room.PreQueueCount, view.Room.ShuffleSeed));
        }

        Assert.Equal(50, places.Count);
        Assert.Equal(1, places.Min());
        Assert.Equal(50, places.Max());
    }

    [Fact]
    public void Fans_who_stop_asking_lose_their_place_and_are_not_counted_as_admitted()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 1), T0, Seed);
        Store.Join(id, Fan(0), T0, Seed, Abandon);
        Store.Join(id, Fan(1), T0, Seed, Abandon);
        Store.UpdateRoom(id, new RoomUpdate(null, null, RoomMode.Paused, null, null, null), T0, Seed);

        // Fan 1 keeps asking; fan 0 goes silent for longer than the abandonment window.
        for (var t = T0 + 60_000; t <= T0 + 360_000; t += 60_000)
        {
            Assert.Equal(FanKind.Queued, Store.Status(id, Fan(1), t, Seed, Abandon).Kind);
        }

        Store.UpdateRoom(id, new RoomUpdate(null, null, RoomMode.Open, null, null, null), T0 + 360_000, Seed);
        var lost = Poll(Store, id, Fan(0), T0 + 362_000, Seed);
        Assert.Equal(FanKind.Expired, lost.View.Kind);
        var kept = Poll(Store, id, Fan(1), T0 + 362_000, Seed);
        Assert.Equal(ClaimOutcome.Admitted, kept.Claim);

        var stats = Store.Stats(id, T0 + 362_000, Seed)!;
        Assert.Equal(1, stats.Admitted);
        Assert.Equal(1, stats.Abandoned);

        // Joining again after losing the place starts at the back.
        var rejoin = Store.Join(id, Fan(0), T0 + 363_000, Seed, Abandon);
        Assert.Equal(FanKind.Queued, rejoin.Kind);
        Assert.Equal(3, rejoin.Number);
    }

    [Fact]
    public void Paused_room_admits_nobody_and_everyone_keeps_their_place()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 10, RoomMode.Paused), T0, Seed);
        for (var i = 0; i < 20; i++)
        {
            Store.Join(id, Fan(i), T0, Seed, Abandon);
        }

        var during = Poll(Store, id, Fan(0), T0 + 30_000, Seed);
        Assert.Null(during.Claim);
        Assert.Equal(0, Store.Stats(id, T0 + 30_000, Seed)!.Serving);

        Store.UpdateRoom(id, new RoomUpdate(null, null, RoomMode.Open, null, null, null), T0 + 30_000, Seed);
        Assert.Equal(10, Store.Stats(id, T0 + 31_000, Seed)!.Serving);
        Assert.Equal(ClaimOutcome.Admitted, Poll(Store, id, Fan(0), T0 + 31_000, Seed).Claim);
        Assert.Equal(12, Poll(Store, id, Fan(11), T0 + 31_000, Seed).Place);
    }

    [Fact]
    public void Passthrough_admits_everyone_at_once_and_closed_refuses_joins()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 0.01, RoomMode.Passthrough), T0, Seed);
        for (var i = 0; i < 30; i++)
        {
            Store.Join(id, Fan(i), T0, Seed, Abandon);
        }

        Assert.Equal(ClaimOutcome.Admitted, Poll(Store, id, Fan(29), T0, Seed).Claim);
        Assert.Equal(30, Store.Stats(id, T0, Seed)!.Serving);

        Store.UpdateRoom(id, new RoomUpdate(null, null, RoomMode.Closed, null, null, null), T0 + 1000, Seed);
        Assert.Equal(FanKind.Closed, Store.Join(id, Fan(100), T0 + 1000, Seed, Abandon).Kind);
        Assert.Equal(RoomMode.Closed, Store.Status(id, Fan(1), T0 + 1000, Seed, Abandon).Room.Mode);
    }

    [Fact]
    public void Active_cap_is_never_exceeded_and_frees_up_as_passes_expire()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 100, cap: 5, lifetime: 60), T0, Seed);
        for (var i = 0; i < 20; i++)
        {
            Store.Join(id, Fan(i), T0, Seed, Abandon);
        }

        var now = T0 + 3000;
        var admitted = 0;
        for (var i = 0; i < 20; i++)
        {
            if (Poll(Store, id, Fan(i), now, Seed).Claim == ClaimOutcome.Admitted)
            {
                admitted++;
            }
        }

        Assert.Equal(5, admitted);
        var stats = Store.Stats(id, now, Seed)!;
        Assert.Equal(5, stats.Active);
        Assert.True(stats.Serving <= 5, $"serving {stats.Serving} ran past the cap");

        // Passes from Poll last 300 s; the waiting fans keep asking meanwhile; after expiry five more get in.
        for (var i = 5; i < 20; i++)
        {
            Assert.Null(Poll(Store, id, Fan(i), now + 150_000, Seed).Claim);
        }

        now += 301_000;
        admitted = 0;
        for (var i = 5; i < 20; i++)
        {
            if (Poll(Store, id, Fan(i), now, Seed).Claim == ClaimOutcome.Admitted)
            {
                admitted++;
            }
        }

        Assert.Equal(5, admitted);
        Assert.Equal(5, Store.Stats(id, now, Seed)!.Active);
    }

    [Fact]
    public void Rate_change_applies_from_the_next_second_and_elapsed_seconds_keep_the_old_rate()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 2), T0, Seed);
        for (var i = 0; i < 1000; i++)
        {
            Store.Join(id, Fan(i), T0, Seed, Abandon);
        }

        Store.UpdateRoom(id, new RoomUpdate(20, null, null, null, null, null), T0 + 10_000, Seed);
        Assert.Equal(20, Store.Stats(id, T0 + 10_000, Seed)!.Serving);
        Assert.Equal(220, Store.Stats(id, T0 + 20_000, Seed)!.Serving);
        Assert.Equal(20, Store.GetRoom(id)!.RatePerSecond);
    }

    [Fact]
    public void Admitted_fan_keeps_the_same_pass_claims_and_expires_with_it()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 10), T0, Seed);
        Store.Join(id, Fan(0), T0, Seed, Abandon);
        var first = Store.Claim(id, Fan(0), 1, T0 + 1000, Seed, T0 + 61_000, "jti-a");
        Assert.Equal(ClaimOutcome.Admitted, first.Outcome);
        var again = Store.Status(id, Fan(0), T0 + 2000, Seed, Abandon);
        Assert.Equal(FanKind.Admitted, again.Kind);
        Assert.Equal("jti-a", again.Jti);
        Assert.Equal(T0 + 61_000, again.ExpiresAtMs);
        Assert.Equal(FanKind.Admitted, Store.Join(id, Fan(0), T0 + 3000, Seed, Abandon).Kind);
        Assert.Equal(FanKind.Expired, Store.Status(id, Fan(0), T0 + 61_000, Seed, Abandon).Kind);
    }

    [Fact]
    public async Task Concurrent_status_requests_each_get_their_own_answer_and_a_silent_fan_is_dropped_once()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 1, RoomMode.Paused), T0, Seed);
        for (var i = 0; i < 200; i++)
        {
            Store.Join(id, Fan(i), T0, Seed, Abandon);
        }

        // Fans 0-99 asked shortly before; fans 100-199 have been silent since they joined.
        KeepAlive(Store, id, 0, 100, T0 + Abandon - 10_000);
        var now = T0 + Abandon + 1000;
        Assert.NotNull(Store.CachedRoom(id)); // as the service does before a status: the room is known to this instance

        // Every fan asks three times at once (a page poll, a retry, a second tab), all started before any answer.
        var calls = new List<(int Fan, Task<FanView> View)>();
        for (var i = 0; i < 200; i++)
        {
            for (var k = 0; k < 3; k++)
            {
                calls.Add((i, Store.StatusAsync(id, Fan(i), now, Seed, Abandon).AsTask()));
            }
        }

        await Task.WhenAll(calls.Select(c => c.View));
        foreach (var (fan, task) in calls)
        {
            var view = await task;
            if (fan < 100)
            {
                Assert.Equal(FanKind.Queued, view.Kind);
                Assert.Equal(fan + 1, view.Number);
                Assert.Equal(0, view.Room.Serving);
            }
            else
            {
                Assert.Equal(FanKind.Expired, view.Kind);
            }
        }

        Assert.Equal(100, Store.Stats(id, now, Seed)!.Abandoned);
    }

    [Fact]
    public async Task Concurrent_joins_get_places_in_arrival_order_and_a_repeated_join_keeps_its_place()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 1, RoomMode.Paused), T0, Seed);
        const int Silent = 1000;
        Store.Join(id, Fan(Silent), T0, Seed, Abandon);
        var now = T0 + Abandon + 1000;
        Assert.NotNull(Store.CachedRoom(id)); // as the service does before a join: the room is known to this instance

        // All started before any answer; every third fan sends its join twice (a double click).
        var calls = new List<(int Fan, Task<FanView> View)>();
        for (var i = 0; i < 300; i++)
        {
            calls.Add((i, Store.JoinAsync(id, Fan(i), now, Seed, Abandon).AsTask()));
            if (i % 3 == 0)
            {
                calls.Add((i, Store.JoinAsync(id, Fan(i), now, Seed, Abandon).AsTask()));
            }
        }

        // The fan who joined first and then went silent has lost place 1 and joins at the back, once.
        calls.Add((Silent, Store.JoinAsync(id, Fan(Silent), now, Seed, Abandon).AsTask()));
        calls.Add((Silent, Store.JoinAsync(id, Fan(Silent), now, Seed, Abandon).AsTask()));

        await Task.WhenAll(calls.Select(c => c.View));
        foreach (var (fan, task) in calls)
        {
            var view = await task;
            Assert.Equal(FanKind.Queued, view.Kind);
            Assert.Equal(fan == Silent ? 302 : fan + 2, view.Number);
        }

        var stats = Store.Stats(id, now, Seed)!;
        Assert.Equal(302, stats.Tail);
        Assert.Equal(1, stats.Abandoned);
    }

    [Fact]
    public async Task One_account_has_one_place_per_room_whichever_instance_or_device_it_joins_from()
    {
        // Two instances share the ticket key, so they derive the same fan id for an account; the store keeps one place.
        var ticketKey = RandomNumberGenerator.GetBytes(32);
        using var instanceA = new AccountFanIds(ticketKey);
        using var instanceB = new AccountFanIds(ticketKey);
        var id = NewRoomId();
        Assert.True(Store.PutRoom(Room(id, 1), T0, Seed));
        var account = Guid.NewGuid();
        var other = Guid.NewGuid();
        Assert.Equal(instanceA.FanIdOf(id, account), instanceB.FanIdOf(id, account));

        Store.Join(id, Fan(0), T0, Seed, Abandon);
        var devices = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(async () => await Store.JoinAsync(id, (i % 2 == 0 ? instanceA : instanceB).FanIdOf(id, account), T0 + 1, (ulong)i + 1, Abandon))));
        var otherView = Store.Join(id, instanceB.FanIdOf(id, other), T0 + 2, Seed, Abandon);

        Assert.All(devices, view => Assert.Equal((FanKind.Queued, 2L), (view.Kind, view.Number)));
        Assert.Equal((FanKind.Queued, 3L), (otherView.Kind, otherView.Number));
        Assert.Equal(3, Store.Stats(id, T0 + 2, Seed)!.Tail);
        Assert.Equal(account, instanceB.AccountOf(id, instanceA.FanIdOf(id, account)));

        // Another room gives the same account an unrelated id; another key (another deployment) too.
        using var otherDeployment = new AccountFanIds(RandomNumberGenerator.GetBytes(32));
        Assert.NotEqual(instanceA.FanIdOf(id, account), instanceA.FanIdOf(NewRoomId(), account));
        Assert.NotEqual(instanceA.FanIdOf(id, account), otherDeployment.FanIdOf(id, account));
    }

    [Fact]
    public void A_room_keeps_its_identity_setting()
    {
        var account = NewRoomId();
        var anonymous = NewRoomId();
        Store.PutRoom(Room(account, 1), T0, Seed);
        Store.PutRoom(Room(anonymous, 1) with { Identity = RoomIdentity.Anonymous }, T0, Seed);

        Assert.Equal(RoomIdentity.Account, Store.GetRoom(account)!.Identity);
        Assert.Equal(RoomIdentity.Anonymous, Store.GetRoom(anonymous)!.Identity);
        Assert.Equal(RoomIdentity.Anonymous, Store.UpdateRoom(anonymous, new RoomUpdate(2, null, null, null, null, null), T0 + 1, Seed)!.Identity);
        Assert.Equal(RoomIdentity.Anonymous, Store.GetRoom(anonymous)!.Identity);
    }

    [Fact]
    public void Rooms_can_be_listed_replaced_and_deleted()
    {
        var id = NewRoomId();
        Assert.True(Store.PutRoom(Room(id, 1), T0, Seed));
        Store.Join(id, Fan(0), T0, Seed, Abandon);
        Assert.False(Store.PutRoom(Room(id, 5) with { PerformanceIds = [7] }, T0 + 1, Seed));
        var room = Store.GetRoom(id)!;
        Assert.Equal([7L], room.PerformanceIds);
        Assert.Equal(5, room.RatePerSecond);
        Assert.Equal(1, Store.Stats(id, T0 + 1, Seed)!.Tail);
        Assert.Contains(Store.ListRooms(), r => r.Id == id);
        Assert.True(Store.DeleteRoom(id));
        Assert.Null(Store.GetRoom(id));
        Assert.False(Store.DeleteRoom(id));
    }
}

public sealed class InProcessQueueStoreContractTests : QueueStoreContractTests
{
    internal override IQueueStore Store { get; } = new InProcessQueueStore();
}

[Collection(RedisCollection.Name)]
public sealed partial class RedisQueueStoreContractTests(RedisServerFixture redis) : QueueStoreContractTests
{
    internal override IQueueStore Store { get; } = new RedisQueueStore(redis.Connection, "wrtest");

    [Fact]
    public void Two_instances_on_one_redis_admit_at_the_rate_not_twice_the_rate()
    {
        using var second = redis.NewConnection();
        var a = Store;
        var b = new RedisQueueStore(second, "wrtest");
        var id = NewRoomId();
        const double perMinute = 300;
        a.PutRoom(Room(id, perMinute / 60), T0, Seed);
        for (var i = 0; i < 3200; i++)
        {
            (i % 2 == 0 ? a : b).Join(id, Fan(i), T0, Seed, Abandon);
        }

        var now = T0;
        var next = 0;
        var counts = new List<int>();
        for (var minute = 0; minute < 10; minute++)
        {
            KeepAlive(b, id, next, 3200, now);
            var count = 0;
            for (var second2 = 0; second2 < 60; second2++)
            {
                now += 1000;

                // Both instances process the same second; each second must still count once.
                a.Stats(id, now, Seed);
                b.Stats(id, now + 1, Seed);
                while (next < 3200)
                {
                    var (_, _, claim) = Poll(next % 2 == 0 ? a : b, id, Fan(next), now + 2, Seed);
                    if (claim != ClaimOutcome.Admitted)
                    {
                        break;
                    }

                    next++;
                    count++;
                }
            }

            counts.Add(count);
        }

        foreach (var count in counts)
        {
            Assert.InRange(count, perMinute * 0.99, perMinute * 1.01);
        }
    }

    [Fact]
    public async Task A_call_Redis_does_not_answer_fails_after_the_timeout_and_does_not_hold_up_the_room()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 1, RoomMode.Paused), T0, Seed);
        Store.Join(id, Fan(0), T0, Seed, Abandon);

        // A second instance whose connection gives up after 1 s; its first calls (script load, JIT) may take longer.
        using var quick = ConnectionMultiplexer.Connect($"127.0.0.1:{redis.Port},abortConnect=false,syncTimeout=1000");
        var store = new RedisQueueStore(quick, "wrtest");
        Assert.NotNull(store.CachedRoom(id));
        Assert.Equal(FanKind.Queued, (await StatusWhenAnsweredAsync(store, id, T0 + 500))?.Kind);

        // Redis holds every client's commands for 4 s, as a stalled server would: the waiting call fails after the
        // connection's timeout (answered 503) instead of waiting for an answer that may never come.
        using var admin = ConnectionMultiplexer.Connect(redis.ConnectionString + ",allowAdmin=true");
        admin.GetDatabase().Execute("CLIENT", "PAUSE", 4000);
        var stalled = store.StatusAsync(id, Fan(0), T0 + 1000, Seed, Abandon).AsTask();
        await Assert.ThrowsAnyAsync<TimeoutException>(() => stalled.WaitAsync(TimeSpan.FromSeconds(3.5)));
        Assert.True(stalled.Exception?.InnerException is QueueStoreTimeoutException or RedisTimeoutException, stalled.Exception?.ToString());

        // Later requests of the room are not held up behind it: each goes out, fails the same way while Redis is
        // paused, and is answered as soon as Redis is back.
        var next = await StatusWhenAnsweredAsync(store, id, T0 + 2000);
        Assert.Equal(FanKind.Queued, next?.Kind);
        Assert.Equal(1, next?.Number);
    }

    private static async Task<FanView?> StatusWhenAnsweredAsync(RedisQueueStore store, string id, long now)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            try
            {
                return await store.StatusAsync(id, Fan(0), now, 1, Abandon);
            }
            catch (Exception ex) when (ex is QueueStoreTimeoutException or RedisTimeoutException)
            {
                // Not answered in time; ask again.
            }
        }

        return null;
    }

    [Fact]
    public void Concurrent_joins_from_two_instances_get_distinct_places()
    {
        using var second = redis.NewConnection();
        var b = new RedisQueueStore(second, "wrtest");
        var id = NewRoomId();
        Store.PutRoom(Room(id, 1), T0, Seed);
        var places = new System.Collections.Concurrent.ConcurrentBag<long>();
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            places.Add((i % 2 == 0 ? Store : b).Join(id, Fan(i), T0, (ulong)i, Abandon).Number);
        });

        Assert.Equal(2000, places.Distinct().Count());
        Assert.Equal(2000, places.Max());
    }
}
