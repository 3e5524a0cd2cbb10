using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Scheduling;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Jobs;

/// <summary>
/// The expiry runs as Hangfire's recurring <c>orders.expire</c>, a sweep over the database: a restarted host expires
/// what fell due while it was down, and two hosts on one database expire each order once.
/// </summary>
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
    public async Task A_restarted_host_expires_the_holds_that_fell_due_while_it_was_down()
    {
        var before = Track(new BookingApiFactory(folder: _folder, jobs: true));
        var fan = await before.FanAsync("restart-fan@test.ticketing");
        var order = await (await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 91L } })).Content.ReadFromJsonAsync<JsonElement>();
        var id = Guid.Parse(order.GetProperty("id").GetString()!);
        await before.DisposeAsync();
        _factories.Remove(before);

        before.Clock.Advance(TimeSpan.FromMinutes(11));
        var after = Track(new BookingApiFactory(folder: _folder, clock: before.Clock, jobs: true));
        _ = after.Services;
        // The host triggers the sweep at start and then every second; whichever run ends next has seen the order due.
        await JobRuns.NextAsync(after.Services, RecurringJobIds.ExpireOrders);

        using (var connection = after.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            Assert.Contains(connection.GetRecurringJobs(), j => j.Id == RecurringJobIds.ExpireOrders && j.Cron == "* * * * * *");
        }

        await using (var scope = after.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Orders.FindAsync(id);
            Assert.Equal(OrderStatus.Expired, stored!.Status);
        }

        Assert.Equal(HttpStatusCode.Created, (await (await after.FanAsync()).PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 91L } })).StatusCode);
    }

    [Fact]
    public async Task Two_hosts_on_one_database_expire_each_order_exactly_once()
    {
        var expirations = new ConcurrentDictionary<string, int>();
        var first = Track(new BookingApiFactory(folder: _folder, jobs: true).WithServices(s => s.AddSingleton<ILoggerProvider>(new ExpiryCounter(expirations))));
        var second = Track(new BookingApiFactory(folder: _folder, clock: first.Clock, jobs: true).WithServices(s => s.AddSingleton<ILoggerProvider>(new ExpiryCounter(expirations))));
        var ids = new List<string>();
        for (var seat = 201L; seat < 231; seat++)
        {
            var fan = await (seat % 2 == 0 ? first : second).FanAsync();
            var hold = await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { seat } });
            Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
            ids.Add((await hold.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        first.Clock.Advance(TimeSpan.FromMinutes(11));
        // Both hosts sweep every second; wait until each has finished a run that found nothing left to expire.
        await Task.WhenAll(
            JobRuns.NextAsync(first.Services, RecurringJobIds.ExpireOrders, run => run.Outcome.StartsWith("expired 0, skipped 0", StringComparison.Ordinal)),
            JobRuns.NextAsync(second.Services, RecurringJobIds.ExpireOrders, run => run.Outcome.StartsWith("expired 0, skipped 0", StringComparison.Ordinal)));

        Assert.Equal(ids.Select(id => Guid.Parse(id).ToString()).Order(), expirations.Keys.Order());
        Assert.All(expirations.Values, count => Assert.Equal(1, count));
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(ids.Count, db.Orders.Count(o => o.Status == OrderStatus.Expired));
    }

    [Fact]
    public async Task Each_run_that_expires_records_its_lateness_on_the_jobs_meter()
    {
        var api = Track(new BookingApiFactory(folder: _folder, jobs: true));
        var fan = await api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 301L } })).StatusCode);
        var measurements = new ConcurrentQueue<(double Seconds, string? Job)>();
        using var listener = new MeterListener();
        var meterFactory = api.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == JobMetrics.MeterName && instrument.Name == "ticketing.jobs.lateness" && instrument.Meter.Scope == meterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? job = null;
            foreach (var tag in tags)
            {
                job = tag.Key == "job" ? tag.Value as string : job;
            }

            measurements.Enqueue((value, job));
        });
        listener.Start();

        // Ten minutes of hold, then 42 seconds past the deadline on the host's clock.
        api.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(42));
        await JobRuns.NextAsync(api.Services, RecurringJobIds.ExpireOrders, run => run.Outcome.StartsWith("expired 1", StringComparison.Ordinal));

        var (seconds, job) = Assert.Single(measurements);
        Assert.Equal(RecurringJobIds.ExpireOrders, job);
        Assert.InRange(seconds, 41.9, 42.1);
    }

    private BookingApiFactory Track(BookingApiFactory factory)
    {
        _factories.Add(factory);
        return factory;
    }

    /// <summary>Counts the "order expired" log events (one per committed expiry) per order, across hosts.</summary>
    private sealed class ExpiryCounter(ConcurrentDictionary<string, int> counts) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(counts);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentDictionary<string, int> counts) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (eventId.Id == 3200 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
                {
                    var order = values.First(v => v.Key == "OrderId").Value!.ToString()!;
                    counts.AddOrUpdate(order, 1, (_, n) => n + 1);
                }
            }
        }
    }
}
