using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using Ticketing.Infrastructure.IntegrationTests.Redis;
using Ticketing.WebApi.IntegrationTests.AccessPasses;
using Ticketing.WebApi.IntegrationTests.Holds;
using Ticketing.WebApi.IntegrationTests.Payments;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>What the people running an on-sale read: /metrics after holds, and readiness with its dependencies.</summary>
public sealed partial class OperationsTests : IAsyncLifetime
{
    private const long Paced = 2;
    private TestPassIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await TestPassIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task Metrics_count_holds_granted_and_refused_by_reason_and_pass_checks()
    {
        using var api = Scrapable(new BookingApiFactory().With("AccessPasses:JwksUrl", _issuer.JwksUrl));
        await RequirePassAsync(api, Paced);
        using var scraper = api.CreateClient();
        var before = await scraper.GetStringAsync("/metrics");
        var first = await api.FanAsync();
        var second = await api.FanAsync();

        Assert.Equal(HttpStatusCode.Created, (await first.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 140L } })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await second.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 140L } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.PostAsJsonAsync($"/api/performances/{Paced}/holds", new { seatIds = new[] { 5_030L } })).StatusCode);

        var after = await scraper.GetStringAsync("/metrics");
        Assert.True(Increase(before, after, "ticketing_holds_granted_total", null) >= 1);
        Assert.True(Increase(before, after, "ticketing_holds_refused_total", "reason=\"seats_taken\"") >= 1);
        Assert.True(Increase(before, after, "ticketing_holds_refused_total", "reason=\"pass\"") >= 1);
        Assert.True(Increase(before, after, "ticketing_accesspasses_checks_total", "result=\"missing\"") >= 1);
        Assert.Contains("# TYPE ticketing_holds_granted_total counter", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_payment_outcomes()
    {
        await using var payments = await PaymentApi.StartAsync(api => Scrapable(api));
        using var scraper = payments.Api.CreateClient();
        var before = await scraper.GetStringAsync("/metrics");
        var fan = await payments.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 1031);
        payments.Toss.Faults = r => r.Path.EndsWith("/confirm", StringComparison.Ordinal) ? Fault.Decline("REJECT_CARD_COMPANY") : Fault.None;
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PaymentApi.ConfirmAsync(fan, payments.Checkout(orderId, amount), orderId, amount)).StatusCode);
        payments.Toss.Faults = null;
        Assert.Equal(HttpStatusCode.OK, (await PaymentApi.ConfirmAsync(fan, payments.Checkout(orderId, amount), orderId, amount)).StatusCode);

        var after = await scraper.GetStringAsync("/metrics");
        Assert.True(Increase(before, after, "ticketing_payments_outcomes_total", "outcome=\"declined\"") >= 1);
        Assert.True(Increase(before, after, "ticketing_payments_outcomes_total", "outcome=\"paid\"") >= 1);
    }

    [Fact]
    public async Task Ready_when_the_database_answers_and_the_waiting_rooms_keys_can_be_fetched()
    {
        using var api = new BookingApiFactory().With("AccessPasses:JwksUrl", _issuer.JwksUrl);
        using var client = api.CreateClient();

        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal(["database", "seat-locks", "waitingroom-keys"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal("ok", (await client.GetFromJsonAsync<JsonElement>("/health")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Degraded_but_ready_when_no_key_is_known_and_the_jwks_does_not_answer()
    {
        using var api = new BookingApiFactory().With("AccessPasses:JwksUrl", "http://127.0.0.1:1/.well-known/jwks.json");
        using var client = api.CreateClient();

        var ready = await client.GetAsync("/health/ready");

        // Still in rotation: unpaced sales and payments work without the waiting room's keys.
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        Assert.Equal("Degraded", body.GetProperty("checks").GetProperty("waitingroom-keys").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    internal static BookingApiFactory Scrapable(BookingApiFactory api) => api.WithServices(services =>
    {
        // TestServer leaves the client address unset; these requests come from this machine.
        services.AddSingleton<IStartupFilter>(new LoopbackClient());
        services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
    });

    /// <summary>How much a sample grew between two scrapes (a sample absent before counts from 0).</summary>
    internal static double Increase(string before, string after, string name, string? label) =>
        (Sample(after, name, label) ?? 0) - (Sample(before, name, label) ?? 0);

    private static double? Sample(string exposition, string name, string? label)
    {
        foreach (Match match in SampleLine().Matches(exposition))
        {
            if (match.Groups["name"].Value == name && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static async Task RequirePassAsync(BookingApiFactory api, long performanceId)
    {
        var organizer = await api.OrganizerAsync();
        var performance = await organizer.GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}");
        (await organizer.PutAsJsonAsync($"/api/organizer/performances/{performanceId}", new
        {
            startsAt = performance.GetProperty("startsAt").GetDateTimeOffset(),
            salesOpenAt = performance.GetProperty("salesOpenAt").GetDateTimeOffset(),
            salesCloseAt = performance.GetProperty("salesCloseAt").GetDateTimeOffset(),
            requiresQueuePass = true,
            waitingRoomId = "demo",
        })).EnsureSuccessStatusCode();
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    private sealed class LoopbackClient : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, following) =>
            {
                http.Connection.RemoteIpAddress = IPAddress.Loopback;
                return following(http);
            });
            next(app);
        };
    }
}

/// <summary>Readiness and the failed-closed count against a real redis-server that the test stops.</summary>
[Collection(RedisServerCollection.Name)]
public sealed class RedisReadinessTests(RedisServerFixture redis) : IAsyncLifetime
{
    private TestPassIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await TestPassIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task Ready_follows_the_seat_lock_redis_and_a_hold_while_it_is_down_counts_as_failed_closed()
    {
        using var api = OperationsTests.Scrapable(new BookingApiFactory(redis.ConnectionString).With("AccessPasses:JwksUrl", _issuer.JwksUrl));
        using var client = api.CreateClient();
        var fan = await api.FanAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var before = await client.GetStringAsync("/metrics");

        redis.Stop();
        HttpResponseMessage ready;
        HttpResponseMessage hold;
        try
        {
            ready = await client.GetAsync("/health/ready");
            hold = await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 141L } });
        }
        finally
        {
            redis.Start();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var checks = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("seat-locks").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, hold.StatusCode);
        Assert.True(OperationsTests.Increase(before, await client.GetStringAsync("/metrics"), "ticketing_holds_failed_closed_total", null) >= 1);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
