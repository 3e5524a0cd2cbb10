using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Gateway;

/// <summary>
/// The WaitingRoom as the gateway, over real HTTP on both sides: the WaitingRoom on Kestrel with a manual clock, a real
/// Kestrel upstream standing in for the WebApi. Paced holds and booking pages need a valid pass; everything else passes.
/// </summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private UpstreamServer _upstream = null!;
    private WaitingRoomFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await UpstreamServer.StartAsync();
        _gateway = new WaitingRoomFactory(
            new Dictionary<string, string?> { ["Gateway:Destinations:0"] = _upstream.BaseUrl, ["WaitingRoom:SeedDemoRoom"] = "false" },
            kestrel: true);
        await _gateway.CreateRoomAsync("sale", new { identity = "anonymous", performanceIds = new[] { 11L, 12L }, ratePerSecond = 1000, passLifetimeSeconds = 120 });
        await _gateway.CreateRoomAsync("other", new { identity = "anonymous", performanceIds = new[] { 21L }, ratePerSecond = 1000, passLifetimeSeconds = 120 });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    /// <summary>A fan's client over real HTTP: no cookie jar (cookies are sent by hand), redirects not followed.</summary>
    private HttpClient Fan()
    {
        var address = _gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    }

    private async Task<(string Pass, HttpResponseMessage Status)> AdmitAsync(string room)
    {
        using var fan = Fan();
        var join = await fan.PostAsync($"/api/rooms/{room}/join", null);
        join.EnsureSuccessStatusCode();
        var ticket = (await Json.ReadAsync(join)).GetProperty("ticket").GetString()!;
        _gateway.Clock.Advance(TimeSpan.FromSeconds(1)); // the line moves on: 1000 fans a second
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/status");
        request.Headers.Add("X-Queue-Ticket", ticket);
        var status = await fan.SendAsync(request);
        var body = await Json.ReadAsync(status);
        Assert.Equal("admitted", body.GetProperty("state").GetString());
        return (body.GetProperty("pass").GetString()!, status);
    }

    private static HttpRequestMessage Hold(long performanceId, string? header = null, string? cookie = null, string path = "holds")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/performances/{performanceId}/{path}") { Content = JsonContent.Create(new { seatIds = new[] { 1, 2 } }) };
        if (header is not null)
        {
            request.Headers.Add("X-Access-Pass", header);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return request;
    }

    [Fact]
    public async Task A_valid_pass_in_the_header_is_forwarded_with_the_fans_address_and_a_spoofed_one_is_replaced()
    {
        var (pass, _) = await AdmitAsync("sale");
        using var fan = Fan();
        using var request = Hold(11, header: pass);
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");
        var response = await fan.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream /api/performances/11/holds", await response.Content.ReadAsStringAsync());
        var seen = Assert.Single(_upstream.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal(pass, seen.AccessPass);
        Assert.Equal("127.0.0.1", seen.ForwardedFor);
        Assert.Equal("http", seen.ForwardedProto);
        Assert.Equal(fan.BaseAddress!.Authority, seen.ForwardedHost);
    }

    [Fact]
    public async Task Without_tracing_no_trace_header_is_sent_upstream_and_a_fans_own_is_dropped()
    {
        using var fan = Fan();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        var response = await fan.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Assert.Single(_upstream.Requests).TraceParent);
    }

    [Fact]
    public void A_recorded_span_is_still_propagated()
    {
        using var source = new System.Diagnostics.ActivitySource("Ticketing.WaitingRoom.Tests.Propagation");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var propagator = new Ticketing.WaitingRoom.Gateway.TraceOnlyPropagator(System.Diagnostics.DistributedContextPropagator.CreateDefaultPropagator());
        var headers = new Dictionary<string, string>();
        using var logScopeOnly = new System.Diagnostics.Activity("request").Start();

        propagator.Inject(logScopeOnly, headers, (carrier, name, value) => ((Dictionary<string, string>)carrier!)[name] = value);
        Assert.Empty(headers);

        using var traced = source.StartActivity("proxy")!;
        propagator.Inject(traced, headers, (carrier, name, value) => ((Dictionary<string, string>)carrier!)[name] = value);
        Assert.Equal(traced.Id, headers["traceparent"]);
    }

    [Fact]
    public async Task A_valid_pass_in_the_rooms_cookie_is_forwarded_as_X_Access_Pass_for_seats_together()
    {
        var (pass, _) = await AdmitAsync("sale");
        using var fan = Fan();
        var response = await fan.SendAsync(Hold(12, cookie: $"theme=dark; wr_pass_sale={pass}; wr_sale=ticket", path: "holds/together"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(_upstream.Requests);
        Assert.Equal("/api/performances/12/holds/together", seen.PathAndQuery);
        Assert.Equal(pass, seen.AccessPass);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "absent", "header", "pass.required" },
        { "absent", "cookie", "pass.required" },
        { "forged", "header", "pass.invalid" },
        { "forged", "cookie", "pass.invalid" },
        { "expired", "header", "pass.expired" },
        { "expired", "cookie", "pass.expired" },
        { "other-room", "header", "pass.wrong_room" },
        { "other-room", "cookie", "pass.wrong_room" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Api_calls_without_a_valid_pass_get_403_naming_the_room_and_browsers_go_to_its_queue(string kind, string form, string code)
    {
        string? pass = null;
        switch (kind)
        {
            case "forged":
                var valid = (await AdmitAsync("sale")).Pass;
                var signature = valid[(valid.LastIndexOf('.') + 1)..];
                pass = valid[..(valid.LastIndexOf('.') + 1)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
                break;
            case "expired":
                pass = (await AdmitAsync("sale")).Pass;
                _gateway.Clock.Advance(TimeSpan.FromSeconds(121));
                break;
            case "other-room":
                pass = (await AdmitAsync("other")).Pass;
                break;
        }

        // In cookie form the pass sits in the cookie of the room pacing the performance, where a browser keeps it.
        string? header = form == "header" ? pass : null;
        string? cookie = form == "cookie" && pass is not null ? $"wr_pass_sale={pass}" : null;
        using var fan = Fan();
        foreach (var path in new[] { "holds", "holds/together" })
        {
            var response = await fan.SendAsync(Hold(11, header, cookie, path));
            var problem = await Json.AssertProblemAsync(response, 403, code);
            Assert.Equal("sale", problem.GetProperty("roomId").GetString());
            Assert.Equal("/queue/sale", problem.GetProperty("queueUrl").GetString());
        }

        // The booking page: a browser navigation is sent to the queue; a script's call gets the problem.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/book/performances/11");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        if (header is not null)
        {
            page.Headers.Add("X-Access-Pass", header);
        }

        if (cookie is not null)
        {
            page.Headers.Add("Cookie", cookie);
        }

        var navigation = await fan.SendAsync(page);
        Assert.Equal(HttpStatusCode.Found, navigation.StatusCode);
        Assert.Equal("/queue/sale", navigation.Headers.Location!.OriginalString);

        using var fetch = new HttpRequestMessage(HttpMethod.Get, "/book/performances/11");
        fetch.Headers.Accept.ParseAdd("application/json");
        if (header is not null)
        {
            fetch.Headers.Add("X-Access-Pass", header);
        }

        if (cookie is not null)
        {
            fetch.Headers.Add("Cookie", cookie);
        }

        await Json.AssertProblemAsync(await fan.SendAsync(fetch), 403, code);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task A_browser_with_a_valid_pass_cookie_gets_the_booking_page_from_upstream()
    {
        var (pass, _) = await AdmitAsync("sale");
        using var fan = Fan();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/book/performances/11");
        page.Headers.Accept.ParseAdd("text/html");
        page.Headers.Add("Cookie", "wr_pass_sale=" + pass);
        var response = await fan.SendAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(pass, Assert.Single(_upstream.Requests).AccessPass);
    }

    [Fact]
    public async Task Unpaced_performances_other_paths_and_passthrough_rooms_are_proxied_untouched()
    {
        await _gateway.CreateRoomAsync("open-door", new { identity = "anonymous", performanceIds = new[] { 31L }, ratePerSecond = 1, mode = "passthrough" });
        using var fan = Fan();
        Assert.Equal(HttpStatusCode.OK, (await fan.SendAsync(Hold(99))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fan.SendAsync(Hold(31))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync("/api/performances/11/seats?x=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync("/book/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync("/api/admin/overview")).StatusCode); // the WebApi's admin API

        var seen = _upstream.Requests.ToArray();
        Assert.Equal(["/api/performances/99/holds", "/api/performances/31/holds", "/api/performances/11/seats?x=1", "/book/", "/api/admin/overview"], seen.Select(r => r.PathAndQuery));
        Assert.All(seen, r => Assert.Null(r.AccessPass));
    }

    [Fact]
    public async Task Local_endpoints_are_served_here_and_never_proxied()
    {
        using var fan = Fan();
        Assert.Equal("ok", await fan.GetStringAsync("/health"));
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync("/queue/sale")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync("/queue/assets/queue.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync("/.well-known/jwks.json")).StatusCode);
        await Json.AssertProblemAsync(await fan.GetAsync("/api/rooms/sale/unknown"), 404, "not-found");
        await Json.AssertProblemAsync(await fan.GetAsync("/api/rooms/sale/join"), 405, "method-not-allowed");
        await Json.AssertProblemAsync(await fan.GetAsync("/api/admin/rooms"), 401, "admin-key-missing");
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task Room_changes_take_effect_on_the_pass_check_at_once()
    {
        using var fan = Fan();
        await Json.AssertProblemAsync(await fan.SendAsync(Hold(11)), 403, "pass.required");
        using var admin = Fan();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", WaitingRoomFactory.AdminKey);
        (await admin.PatchAsJsonAsync("/api/admin/rooms/sale", new { performanceIds = new[] { 13L } })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await fan.SendAsync(Hold(11))).StatusCode);
        await Json.AssertProblemAsync(await fan.SendAsync(Hold(13)), 403, "pass.required");
        (await admin.DeleteAsync("/api/admin/rooms/sale")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await fan.SendAsync(Hold(13))).StatusCode);
    }

    [Fact]
    public async Task Server_sent_events_from_upstream_stream_through_unbuffered()
    {
        using var fan = Fan();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/performances/11/seats/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await fan.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The first event arrives while the upstream is still holding the second one back.
        Assert.Equal("event: version", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("id: 1", await reader.ReadLineAsync());
        Assert.Equal("data: {\"version\":1}", await reader.ReadLineAsync());
        Assert.False(_upstream.ReleaseSecondEvent.Task.IsCompleted);

        _upstream.ReleaseSecondEvent.SetResult();
        Assert.Equal(string.Empty, await reader.ReadLineAsync());
        Assert.Equal("event: seats", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_answer_that_admits_a_fan_sets_the_pass_cookie_with_its_attributes()
    {
        var (pass, status) = await AdmitAsync("sale");
        var cookie = Assert.Single(status.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wr_pass_sale=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.Equal("wr_pass_sale=" + pass, attributes[0]);
        Assert.Contains("max-age=120", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("path=/", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("httponly", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", attributes, StringComparer.OrdinalIgnoreCase); // plain HTTP here
    }

    [Fact]
    public async Task On_HTTPS_the_pass_cookie_is_Secure()
    {
        await using var app = new WaitingRoomFactory(new Dictionary<string, string?> { ["WaitingRoom:SeedDemoRoom"] = "false" });
        await app.CreateRoomAsync("sale", new { identity = "anonymous", performanceIds = new[] { 11L }, ratePerSecond = 1, passLifetimeSeconds = 60, mode = "passthrough" });
        using var fan = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
        var join = await fan.PostAsync("/api/rooms/sale/join", null);
        var cookie = Assert.Single(join.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wr_pass_sale=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("secure", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("max-age=60", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("admitted", (await Json.ReadAsync(join)).GetProperty("state").GetString());
    }
}
