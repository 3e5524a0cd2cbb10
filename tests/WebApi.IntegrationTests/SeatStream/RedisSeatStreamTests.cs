using Ticketing.Infrastructure.IntegrationTests.Redis;
using Ticketing.Infrastructure.IntegrationTests.Support;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.SeatStream;

/// <summary>Two WebApi instances over one database and one real redis-server: each sees the other's changes, under the same ids.</summary>
[Collection(RedisServerCollection.Name)]
public sealed class RedisSeatStreamTests(RedisServerFixture redis) : IDisposable
{
    private readonly List<BookingApiFactory> _factories = [];

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }
    }

    [Fact]
    public async Task Two_instances_see_each_others_changes_with_the_same_versions_and_the_map_agrees()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var prefix = $"t{Guid.NewGuid():N}:";
        var a = New(new BookingApiFactory(redis.ConnectionString, clock: clock, keyPrefix: prefix));
        var b = New(new BookingApiFactory(redis.ConnectionString, folder: a.Folder, clock: clock, keyPrefix: prefix));
        var fanOnA = await a.FanAsync();
        var fanOnB = await b.FanAsync();

        await using var onA = await SseClient.OpenAsync(a.CreateClient(), 1);
        await using var onB = await SseClient.OpenAsync(b.CreateClient(), 1);
        var startA = await onA.NextAsync();
        var startB = await onB.NextAsync();
        Assert.Equal(startA.Version, startB.Version);

        await SeatStreamTests.HoldAsync(fanOnA, 501, 502);
        var seenOnA = await onA.NextSeatsAsync();
        var seenOnB = await onB.NextSeatsAsync();
        Assert.Equal([(501L, 1), (502L, 1)], seenOnB.Changes);
        Assert.Equal(seenOnA.Version, seenOnB.Version);
        Assert.Equal(seenOnA.Changes, seenOnB.Changes);

        await SeatStreamTests.HoldAsync(fanOnB, 503);
        var fromB = await onA.NextSeatsAsync();
        Assert.Equal([(503L, 1)], fromB.Changes);
        Assert.Equal(fromB.Version, (await onB.NextSeatsAsync()).Version);
        Assert.Equal(seenOnA.Version + 1, fromB.Version);

        // Either instance's map carries the shared version; a reconnect to the other instance replays from its ring.
        Assert.Equal(fromB.Version, (await SeatStreamTests.SeatMapAsync(a.CreateClient(), 1)).GetProperty("version").GetInt64());
        await using var resumed = await SseClient.OpenAsync(b.CreateClient(), 1, startA.Version);
        Assert.Equal("version", (await resumed.NextAsync()).Event);
        var missed = await resumed.NextSeatsAsync();
        Assert.Equal(fromB.Version, missed.Version);
        Assert.Equal([(501L, 1), (502L, 1), (503L, 1)], missed.Changes);
    }

    private BookingApiFactory New(BookingApiFactory factory)
    {
        _factories.Add(factory);
        return factory;
    }
}
