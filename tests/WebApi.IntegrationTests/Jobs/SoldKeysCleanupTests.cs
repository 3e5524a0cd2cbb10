using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.IntegrationTests.Redis;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Scheduling;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Jobs;

/// <summary><c>cleanup.sold-keys</c> against a real redis-server: the sold markers of a performance that is over go.</summary>
[Collection(RedisServerCollection.Name)]
public sealed class SoldKeysCleanupTests(RedisServerFixture redis) : IDisposable
{
    private readonly BookingApiFactory _api = new(redis.ConnectionString, jobs: true);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Sold_keys_of_a_performance_that_started_hours_ago_are_forgotten_and_later_performances_keep_theirs()
    {
        var seatLock = _api.Services.GetRequiredService<ISeatLock>();
        long[] seats;
        DateTimeOffset firstStartsAt;
        await using (var scope = _api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            firstStartsAt = (await db.Performances.SingleAsync(p => p.Id == 1)).StartsAt;
            seats = await db.Seats.Where(s => s.PerformanceId == 1).OrderBy(s => s.Id).Select(s => s.Id).Take(3).ToArrayAsync();
        }

        var secondSeat = await SecondPerformanceSeatAsync();
        foreach (var (performance, seatIds) in new[] { (1L, seats), (2L, new[] { secondSeat }) })
        {
            Assert.True((await seatLock.TryAcquireAsync(performance, seatIds, "buyer", TimeSpan.FromMinutes(5))).Acquired);
            Assert.True(await seatLock.MarkSoldAsync(performance, seatIds, "buyer"));
        }

        // Seven hours after the first performance started (the second starts a day later).
        _api.Clock.Advance(firstStartsAt + TimeSpan.FromHours(7) - _api.Clock.GetUtcNow());
        var admin = await BookingApiFactory.LogInAsync(_api.CreateClient(), "admin@test.ticketing", "admin-test-1");
        var ran = JobRuns.NextAsync(_api.Services, RecurringJobIds.PurgeSoldKeys);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/admin/jobs/cleanup/sold-keys/run", null)).StatusCode);
        var run = await ran;

        Assert.True(run.Succeeded);
        Assert.Equal("3 seat locks of 1 performances forgotten", run.Outcome);
        Assert.Empty(await seatLock.GetHoldersAsync(1, seats));
        Assert.Equal("sold:buyer", (await seatLock.GetHoldersAsync(2, [secondSeat]))[secondSeat]);
    }

    private async Task<long> SecondPerformanceSeatAsync()
    {
        await using var scope = _api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Seats.Where(s => s.PerformanceId == 2).MinAsync(s => s.Id);
    }
}
