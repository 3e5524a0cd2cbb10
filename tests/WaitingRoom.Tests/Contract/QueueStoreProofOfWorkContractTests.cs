using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Contract;

/// <summary>Proof-of-work parts of the store contract: the room's difficulty, and used challenges.</summary>
public abstract partial class QueueStoreContractTests
{
    [Fact]
    public void Pow_difficulty_is_kept_by_create_changed_live_and_left_alone_by_other_changes()
    {
        var id = NewRoomId();
        Store.PutRoom(Room(id, 1) with { PowDifficulty = 12 }, T0, Seed);
        Assert.Equal(12, Store.GetRoom(id)!.PowDifficulty);

        Store.UpdateRoom(id, new RoomUpdate(5, null, null, null, null, null), T0 + 1, Seed);
        Assert.Equal(12, Store.GetRoom(id)!.PowDifficulty);

        var updated = Store.UpdateRoom(id, new RoomUpdate(null, null, null, null, null, null) { PowDifficulty = 20 }, T0 + 2, Seed);
        Assert.Equal(20, updated!.PowDifficulty);
        Assert.Equal(5, updated.RatePerSecond);
        Assert.Equal(20, Store.GetRoom(id)!.PowDifficulty);

        Store.UpdateRoom(id, new RoomUpdate(null, null, null, null, null, null) { PowDifficulty = 0 }, T0 + 3, Seed);
        Assert.Equal(0, Store.ListRooms().Single(r => r.Id == id).PowDifficulty);
    }

    [Fact]
    public async Task A_challenge_is_used_once_per_room_and_an_expired_one_not_at_all()
    {
        var id = NewRoomId();
        var other = NewRoomId();
        Assert.True(await Store.UseChallengeAsync(id, "c1", T0 + 60_000, T0));
        Assert.False(await Store.UseChallengeAsync(id, "c1", T0 + 60_000, T0 + 1000));
        Assert.True(await Store.UseChallengeAsync(id, "c2", T0 + 60_000, T0 + 1000));
        Assert.True(await Store.UseChallengeAsync(other, "c1", T0 + 60_000, T0 + 1000));
        Assert.False(await Store.UseChallengeAsync(id, "c3", T0 + 60_000, T0 + 60_000));
    }

    [Fact]
    public async Task Concurrent_uses_of_one_challenge_let_exactly_one_through()
    {
        var id = NewRoomId();
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await Store.UseChallengeAsync(id, "same", T0 + 60_000, T0))));
        Assert.Single(results, r => r);
    }
}

public sealed partial class RedisQueueStoreContractTests
{
    [Fact]
    public async Task A_challenge_used_on_one_instance_is_refused_on_another_and_forgotten_by_redis_when_it_expires()
    {
        using var second = redis.NewConnection();
        var b = new RedisQueueStore(second, "wrtest");
        var id = NewRoomId();
        Assert.True(await Store.UseChallengeAsync(id, "c1", T0 + 60_000, T0));
        Assert.False(await b.UseChallengeAsync(id, "c1", T0 + 60_000, T0 + 10));

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync("wrtest:{" + id + "}:pow:c1");
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value.TotalSeconds, 50, 60);
    }
}
