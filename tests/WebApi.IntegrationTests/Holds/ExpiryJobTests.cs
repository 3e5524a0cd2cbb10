using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Ticketing.Application.Orders;
using Ticketing.Infrastructure.Scheduling;

namespace Ticketing.WebApi.IntegrationTests.Holds;

/// <summary>The expiry job itself: persisted in the database's Quartz store, so a restarted host picks it up.</summary>
public sealed class ExpiryJobTests : IDisposable
{
    private readonly List<BookingApiFactory> _factories = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("ticketing-restart-").FullName;

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Expiry_job_survives_a_host_restart_and_expires_holds_made_before_it()
    {
        var before = Track(new BookingApiFactory(folder: _folder, jobs: true));
        var fan = await before.FanAsync("restart-fan@test.ticketing");
        var order = await (await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 91L } })).Content.ReadFromJsonAsync<JsonElement>();
        var id = order.GetProperty("id").GetString();
        var scheduler = await before.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.NotNull(await scheduler.GetTrigger(ScheduledJobs.ExpiryTrigger));
        await before.DisposeAsync();
        _factories.Remove(before);

        before.Clock.Advance(TimeSpan.FromMinutes(11));
        var after = Track(new BookingApiFactory(folder: _folder, clock: before.Clock, jobs: true));
        var done = new TaskCompletionSource<ExpiryReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var restarted = await after.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        restarted.ListenerManager.AddJobListener(new ReportListener(done), [Matchers.Key(ScheduledJobs.ExpiryJob)]);
        var fanAgain = await BookingApiFactory.LogInAsync(after.CreateClient(), "restart-fan@test.ticketing", "fan-password-1");

        // The restarted host's job may already have run before the listener was attached; either way, once a run
        // completes after this point the order (due before the restart) has been expired by the job.
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(await restarted.GetTrigger(ScheduledJobs.ExpiryTrigger));
        Assert.Equal("expired", (await fanAgain.GetFromJsonAsync<JsonElement>($"/api/orders/{id}")).GetProperty("status").GetString());
        await using (var scope = after.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Persistence.AppDbContext>().Orders.FindAsync(Guid.Parse(id!));
            Assert.Equal(Ticketing.Domain.Orders.OrderStatus.Expired, stored!.Status);
        }

        Assert.Equal(HttpStatusCode.Created, (await (await after.FanAsync()).PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 91L } })).StatusCode);
    }

    private BookingApiFactory Track(BookingApiFactory factory)
    {
        _factories.Add(factory);
        return factory;
    }

    /// <summary>Completes with the first run of the expiry job that ends after it was attached.</summary>
    private sealed class ReportListener(TaskCompletionSource<ExpiryReport> done) : IJobListener
    {
        public string Name => "test-expiry-report";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            if (jobException is not null)
            {
                done.TrySetException(jobException);
            }
            else if (context.Result is ExpiryReport report)
            {
                done.TrySetResult(report);
            }

            return ValueTask.CompletedTask;
        }
    }
}
