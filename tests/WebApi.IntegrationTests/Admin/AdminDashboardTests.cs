using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Admin;

public sealed class AdminDashboardTests : IDisposable
{
    private readonly BookingApiFactory _api = new(jobs: true);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Overview_counts_held_seats_and_orders_for_admins_only()
    {
        var fan = await _api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 1L, 2L } })).StatusCode);
        var admin = await BookingApiFactory.LogInAsync(_api.CreateClient(), "admin@test.ticketing", "admin-test-1");

        var overview = await admin.GetFromJsonAsync<JsonElement>("/api/admin/overview");

        Assert.Equal(1, overview.GetProperty("ordersByStatus").GetProperty("pending").GetInt32());
        var first = overview.GetProperty("performances").EnumerateArray().Single(p => p.GetProperty("performanceId").GetInt64() == 1);
        Assert.Equal(5_000, first.GetProperty("seats").GetInt32());
        Assert.Equal(2, first.GetProperty("held").GetInt32());
        Assert.Equal(0, first.GetProperty("sold").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.GetAsync("/api/admin/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.CreateClient().GetAsync("/api/admin/overview")).StatusCode);
    }

    [Fact]
    public async Task Jobs_are_listed_and_can_be_run_now()
    {
        var admin = await BookingApiFactory.LogInAsync(_api.CreateClient(), "admin@test.ticketing", "admin-test-1");

        var jobs = await admin.GetFromJsonAsync<JsonElement>("/api/admin/jobs");
        Assert.Equal(
            ["cleanup.idempotency-records", "cleanup.pass-bindings", "cleanup.sold-keys", "orders.expire", "payments.reconcile", "refunds.retry", "transfers.reconcile"],
            jobs.EnumerateArray().Select(j => j.GetProperty("group").GetString() + "." + j.GetProperty("name").GetString()).Order());
        var expiry = jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "expire");
        Assert.Equal("orders", expiry.GetProperty("group").GetString());
        Assert.Equal("* * * * * *", Assert.Single(expiry.GetProperty("triggers").EnumerateArray()).GetProperty("name").GetString());

        // An hourly job, so a run within the wait is the one asked for.
        var ran = Jobs.JobRuns.NextAsync(_api.Services, "cleanup.idempotency-records");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/admin/jobs/cleanup/idempotency-records/run", null)).StatusCode);
        Assert.True((await ran).Succeeded);
        var missing = await admin.PostAsync("/api/admin/jobs/orders/no-such-job/run", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await _api.FanAsync()).PostAsync("/api/admin/jobs/orders/expire/run", null)).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_page_is_served()
    {
        var response = await _api.CreateClient().GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("/api/admin/overview", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/hangfire\"", page, StringComparison.Ordinal);
    }
}
