using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.IntegrationTests.Redis;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.WebApi.IntegrationTests.Holds;

[CollectionDefinition(Name)]
public sealed class RedisServerCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "WebApi against one redis-server";
}

[Collection(RedisServerCollection.Name)]
public sealed class RedisHoldTests(RedisServerFixture redis) : HoldContract
{
    protected override string? RedisConnectionString => redis.ConnectionString;

    [Fact]
    public async Task Redis_outage_fails_closed_and_the_database_still_refuses_a_double_sale()
    {
        var api = NewApi();
        var first = await api.FanAsync();
        var second = await api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await Hold(first, 81)).StatusCode);

        redis.Stop();
        HttpResponseMessage during;
        try
        {
            during = await Hold(second, 82);
        }
        finally
        {
            redis.Start();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.NotNull(during.Headers.RetryAfter);
        Assert.Equal("seats.lock_unavailable", (await ProblemAsync(during)).GetProperty("code").GetString());
        Assert.Equal(1, await CountOrdersAsync(api));

        // Redis came back empty. Once the service has reconnected, Redis grants seat 81 again and the
        // database's unique index refuses it.
        var afterRestart = await Hold(second, 81);
        for (var attempt = 0; afterRestart.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 50; attempt++)
        {
            await Task.Delay(100);
            afterRestart = await Hold(second, 81);
        }

        Assert.Equal(HttpStatusCode.Conflict, afterRestart.StatusCode);
        Assert.Equal([81L], (await ProblemAsync(afterRestart)).GetProperty("takenSeatIds").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(HttpStatusCode.Created, (await Hold(second, 82)).StatusCode);

        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.OrderLines.CountAsync(l => l.SeatId == 81 && l.IsLive));
    }
}
