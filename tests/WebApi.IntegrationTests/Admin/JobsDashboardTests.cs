using System.Net;
using System.Net.Http.Headers;
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
        ["orders.expire", "payments.reconcile", "cleanup.idempotency-records", "cleanup.pass-bindings", "cleanup.sold-keys"];

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
