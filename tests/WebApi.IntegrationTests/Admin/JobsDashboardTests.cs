using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Infrastructure.Persistence;
using Ticketing.WebApi.IntegrationTests.Holds;
using Ticketing.WebApi.IntegrationTests.Jobs;

namespace Ticketing.WebApi.IntegrationTests.Admin;

/// <summary>The Hangfire dashboard at /hangfire: admins only, through the admin page's cookie.</summary>
public sealed partial class JobsDashboardTests : IDisposable
{
    private static readonly string[] RecurringJobIds =
        ["orders.expire", "payments.reconcile", "refunds.retry", "cleanup.idempotency-records", "cleanup.pass-bindings", "cleanup.sold-keys", "transfers.reconcile"];

    private readonly BookingApiFactory _api = new(jobs: true);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task An_anonymous_browser_is_sent_to_the_admin_login_with_a_return_url()
    {
        var response = await Browser().GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location!.AbsolutePath);
        Assert.Equal("?returnUrl=%2Fhangfire", response.Headers.Location.Query);
    }

    [Fact]
    public async Task Fans_and_organizers_get_403_and_no_dashboard_cookie()
    {
        await _api.FanAsync("dash-fan@test.ticketing");
        var fan = await BookingApiFactory.LogInAsync(Browser(), "dash-fan@test.ticketing", "fan-password-1");
        var organizer = await BookingApiFactory.LogInAsync(Browser(), DemoData.OrganizerEmail, DemoData.OrganizerPassword);

        foreach (var client in new[] { fan, organizer })
        {
            var page = await client.GetAsync("/hangfire");
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Equal("application/problem+json", page.Content.Headers.ContentType?.MediaType);
            var session = await client.PostAsync("/api/admin/session", null);
            Assert.Equal(HttpStatusCode.Forbidden, session.StatusCode);
            Assert.False(session.Headers.Contains("Set-Cookie"));
        }
    }

    [Fact]
    public async Task The_admin_signs_in_on_the_admin_page_and_the_cookie_opens_the_dashboard_until_logout()
    {
        var browser = Browser();
        var admin = await BookingApiFactory.LogInAsync(Browser(), "admin@test.ticketing", "admin-test-1");

        // What /admin does after its login: trade the bearer token for the dashboard cookie.
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/admin/session");
        start.Headers.Authorization = admin.DefaultRequestHeaders.Authorization;
        var session = await browser.SendAsync(start);
        Assert.Equal(HttpStatusCode.NoContent, session.StatusCode);
        var cookie = Assert.Single(session.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("ticketing.admin=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/hangfire", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);

        // The browser now carries only the cookie (no bearer token).
        var recurring = await browser.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        var html = await recurring.Content.ReadAsStringAsync();
        Assert.All(RecurringJobIds, id => Assert.Contains(id, html, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire/recurring")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/api/admin/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_actions_need_the_antiforgery_token_of_the_page()
    {
        var browser = await AdminBrowserAsync();
        var html = await browser.GetStringAsync("/hangfire/recurring");
        var token = CsrfToken().Match(html).Groups[1].Value;
        Assert.NotEmpty(token);
        const string hourly = "cleanup.pass-bindings";

        var forged = await browser.PostAsync("/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", hourly)]));
        Assert.False(forged.IsSuccessStatusCode);

        var ran = JobRuns.NextAsync(_api.Services, hourly);
        using var trigger = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = new FormUrlEncodedContent([new("jobs[]", hourly)]) };
        trigger.Headers.Add("RequestVerificationToken", token);
        Assert.True((await browser.SendAsync(trigger)).IsSuccessStatusCode);
        Assert.True((await ran).Succeeded);
    }

    [Fact]
    public async Task A_failed_expiry_run_is_listed_as_failed_and_a_retry_from_the_dashboard_expires_the_order()
    {
        var failing = new FailingExpiryCommit();
        var failedState = new JobStateSignal(FailedState.StateName);
        // Once a year: in this test the expiry runs only when asked to, so every run below is the one we caused.
        using var api = new BookingApiFactory(jobs: true)
            .With("Jobs:ExpiryCron", "0 0 1 1 *")
            .WithServices(s =>
            {
                s.AddSingleton<IInterceptor>(failing);
                s.RemoveAll<IJobFilterProvider>();
                s.AddSingleton<IJobFilterProvider>(failedState);
            });
        var fan = await api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 401L } })).StatusCode);
        // The expiry every host fires once at start must be over before the hold falls due, or that run could
        // expire the order or take the failure meant for the run asked for below.
        await JobRuns.FirstAsync(api.Services, "orders.expire");
        api.Clock.Advance(TimeSpan.FromMinutes(11));
        var admin = await BookingApiFactory.LogInAsync(api.CreateClient(), "admin@test.ticketing", "admin-test-1");

        failing.Failures = 1; // the batch save: a database error fails the run
        var failed = JobRuns.NextAsync(api.Services, "orders.expire");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/admin/jobs/orders/expire/run", null)).StatusCode);
        Assert.False((await failed).Succeeded);
        var jobId = await failedState.Entered;
        // The filter hears of the failed state before its transaction is committed; every state change is made
        // under the job's state lock, so once we hold it the failed state is stored.
        var storage = api.Services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        using (connection.AcquireDistributedJobLock(jobId, TimeSpan.FromSeconds(30)))
        {
        }

        // No automatic retry for the per-second job: it is in the dashboard's Failed list.
        var browser = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using (var start = new HttpRequestMessage(HttpMethod.Post, "/api/admin/session"))
        {
            start.Headers.Authorization = admin.DefaultRequestHeaders.Authorization;
            (await browser.SendAsync(start)).EnsureSuccessStatusCode();
        }

        Assert.Equal(jobId, Assert.Single(storage.GetMonitoringApi().FailedJobs(0, 10)).Key);
        var page = await browser.GetStringAsync("/hangfire/jobs/failed");
        Assert.Contains("orders.expire", page, StringComparison.Ordinal);
        Assert.Contains("Injected failure", page, StringComparison.Ordinal);

        var retried = JobRuns.NextAsync(api.Services, "orders.expire");
        using var requeue = new HttpRequestMessage(HttpMethod.Post, "/hangfire/jobs/failed/requeue") { Content = new FormUrlEncodedContent([new("jobs[]", jobId)]) };
        requeue.Headers.Add("RequestVerificationToken", CsrfToken().Match(page).Groups[1].Value);
        var requeued = await browser.SendAsync(requeue);
        Assert.True(requeued.IsSuccessStatusCode, $"{(int)requeued.StatusCode}: {await requeued.Content.ReadAsStringAsync()}");

        var run = await retried;
        Assert.True(run.Succeeded);
        Assert.StartsWith("expired 1,", run.Outcome, StringComparison.Ordinal);
        Assert.Empty(storage.GetMonitoringApi().FailedJobs(0, 10));
    }

    private HttpClient Browser() => _api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<HttpClient> AdminBrowserAsync()
    {
        var browser = Browser();
        var admin = await BookingApiFactory.LogInAsync(Browser(), "admin@test.ticketing", "admin-test-1");
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/admin/session");
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.DefaultRequestHeaders.Authorization!.Parameter);
        (await browser.SendAsync(start)).EnsureSuccessStatusCode();
        return browser;
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
