using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>What operators and integrators rely on: the OpenAPI document, /docs, /metrics and the health endpoints.</summary>
public sealed partial class OperationsTests
{
    /// <summary>Mapped on purpose without an OpenAPI operation: the document itself and the Prometheus scrape (any method).</summary>
    // The gateway's catch-all proxies to the WebApi, whose own document describes what lies behind it.
    private static readonly string[] Undocumented = ["* /metrics", "GET /openapi/{documentName}.json", "* /{**catch-all}"];

    [Fact]
    public async Task The_openapi_document_describes_every_mapped_endpoint()
    {
        using var app = new WaitingRoomFactory();
        using var client = app.CreateClient();
        var document = await Json.ReadAsync(await client.GetAsync("/openapi/v1.json"));

        var documented = Operations(document).Select(o => o.Key).ToHashSet();
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();

        Assert.Contains("GET /api/rooms/{roomId}/status", mapped);
        Assert.Equal(Undocumented.Order(), mapped.Except(documented).Order());
        Assert.Empty(documented.Except(mapped));
        Assert.Equal("Ticketing Waiting Room", document.GetProperty("info").GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("POST /api/rooms/{roomId}/join", new[] { 400, 401, 403, 404, 409, 429, 503 })]
    [InlineData("GET /api/rooms/{roomId}/status", new[] { 400, 401, 403, 404, 503 })]
    [InlineData("GET /api/rooms/{roomId}/challenge", new[] { 400, 404, 503 })]
    [InlineData("GET /api/rooms/{roomId}/events", new[] { 400, 401, 403, 404, 503 })]
    [InlineData("PUT /api/admin/rooms/{roomId}", new[] { 400, 401, 403, 409 })]
    [InlineData("PATCH /api/admin/rooms/{roomId}", new[] { 400, 401, 403, 404, 409 })]
    [InlineData("DELETE /api/admin/rooms/{roomId}", new[] { 400, 401, 403, 404 })]
    [InlineData("GET /api/admin/rooms/{roomId}/stats", new[] { 400, 401, 403, 404 })]
    [InlineData("POST /api/admin/keys/rotate", new[] { 401, 403 })]
    public async Task Operations_list_their_problem_responses(string operation, int[] statuses)
    {
        using var app = new WaitingRoomFactory();
        using var client = app.CreateClient();
        var document = await Json.ReadAsync(await client.GetAsync("/openapi/v1.json"));
        var responses = Operations(document)[operation].GetProperty("responses");

        foreach (var status in statuses)
        {
            Assert.True(responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response), $"{operation} does not document {status}.");
            Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{operation} {status} is not a ProblemDetails.");
        }
    }

    [Fact]
    public async Task Admin_operations_declare_the_admin_key_scheme_and_fan_operations_do_not()
    {
        using var app = new WaitingRoomFactory();
        using var client = app.CreateClient();
        var document = await Json.ReadAsync(await client.GetAsync("/openapi/v1.json"));

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("AdminKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Admin-Key", scheme.GetProperty("name").GetString());
        foreach (var (key, operation) in Operations(document))
        {
            var secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(r => r.TryGetProperty("AdminKey", out _));
            Assert.True(secured == key.Contains("/api/admin/", StringComparison.Ordinal), $"{key}: security {(secured ? "declared" : "missing")}.");
        }

        var status = Operations(document)["GET /api/rooms/{roomId}/status"];
        var parameters = status.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["roomId", "X-Queue-Ticket"], parameters);
        Assert.Equal("FanStatusDto", status.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1]);
    }

    [Fact]
    public async Task Docs_page_answers_with_the_swagger_ui_on_the_document()
    {
        using var app = new WaitingRoomFactory();
        using var client = app.CreateClient();

        using var page = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        using var root = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Contains("/openapi/v1.json", await client.GetStringAsync("/docs/index.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_from_loopback_show_joins_admissions_and_the_queue_length_per_room()
    {
        using var factory = new WaitingRoomFactory();
        using var app = From(factory, IPAddress.Loopback);
        using var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", WaitingRoomFactory.AdminKey);
        var line = "ops-line-" + Guid.NewGuid().ToString("N")[..8];
        var open = "ops-open-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PutAsync($"/api/admin/rooms/{line}", Json.Body(new { identity = "anonymous", performanceIds = new[] { 11L }, ratePerSecond = 1 }))).EnsureSuccessStatusCode();
        (await admin.PutAsync($"/api/admin/rooms/{open}", Json.Body(new { identity = "anonymous", performanceIds = new[] { 12L }, ratePerSecond = 1, mode = "passthrough" }))).EnsureSuccessStatusCode();

        using var fan = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        string? ticket = null;
        for (var i = 0; i < 3; i++)
        {
            var joined = await Json.ReadAsync((await fan.PostAsync($"/api/rooms/{line}/join", null)).EnsureSuccessStatusCode());
            ticket = joined.GetProperty("ticket").GetString();
        }

        using var status = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{line}/status");
        status.Headers.Add("X-Queue-Ticket", ticket);
        Assert.Equal(3, (await Json.ReadAsync((await fan.SendAsync(status)).EnsureSuccessStatusCode())).GetProperty("place").GetInt64());

        var admitted = await Json.ReadAsync(await fan.PostAsync($"/api/rooms/{open}/join", null));
        Assert.Equal("admitted", admitted.GetProperty("state").GetString());

        using var scrape = await fan.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE ticketing_waitingroom_joins_total counter", text, StringComparison.Ordinal);
        Assert.True(Sample(text, "ticketing_waitingroom_admitted_total", null) >= 1);
        Assert.True(Sample(text, "ticketing_waitingroom_passes_issued_total", null) >= 1);
        Assert.Equal(3, Sample(text, "ticketing_waitingroom_queue_length", line));
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);

        // A deleted room stops being reported.
        (await admin.DeleteAsync($"/api/admin/rooms/{line}")).EnsureSuccessStatusCode();
        Assert.Null(Sample(await fan.GetStringAsync("/metrics"), "ticketing_waitingroom_queue_length", line));
    }

    [Theory]
    [InlineData("203.0.113.7", null, HttpStatusCode.NotFound)]
    [InlineData("10.1.2.3", null, HttpStatusCode.NotFound)]
    [InlineData("10.1.2.3", "10.0.0.0/8", HttpStatusCode.OK)]
    [InlineData("::ffff:10.1.2.3", "10.0.0.0/8", HttpStatusCode.OK)]
    [InlineData("::1", null, HttpStatusCode.OK)]
    public async Task Metrics_are_served_to_loopback_and_allowed_networks_only(string client, string? allowed, HttpStatusCode expected)
    {
        using var factory = new WaitingRoomFactory(allowed is null ? null : new() { ["Telemetry:Prometheus:AllowedNetworks:0"] = allowed });
        using var app = From(factory, IPAddress.Parse(client));
        using var http = app.CreateClient();

        using var response = await http.GetAsync("/metrics");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            // The same answer as an unknown route: nothing tells an outsider that metrics exist here.
            await Json.AssertProblemAsync(response, 404, "not-found");
            Assert.DoesNotContain("ticketing_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_network_that_is_not_cidr_stops_the_start()
    {
        using var factory = new WaitingRoomFactory(new() { ["Telemetry:Prometheus:AllowedNetworks:0"] = "10.0.0.0/33" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("AllowedNetworks", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_can_be_switched_off()
    {
        using var factory = new WaitingRoomFactory(new() { ["Telemetry:Prometheus:Enabled"] = "false" });
        using var app = From(factory, IPAddress.Loopback);
        using var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Live_and_ready_answer_with_each_check_when_the_store_is_in_process()
    {
        using var app = new WaitingRoomFactory();
        using var client = app.CreateClient();

        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", (await Json.ReadAsync(live)).GetProperty("status").GetString());

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await Json.ReadAsync(ready);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("queue-store").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("signing-keys").GetProperty("status").GetString());
        Assert.Equal("ok", await client.GetStringAsync("/health"));
    }

    [Fact]
    public async Task Ready_is_503_while_the_redis_store_does_not_answer_but_live_stays_200()
    {
        using var app = new WaitingRoomFactory(new()
        {
            ["WaitingRoom:Store"] = "Redis",
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=500",
            ["WaitingRoom:SeedDemoRoom"] = "false",
        });
        using var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await Json.ReadAsync(ready);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("queue-store").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("signing-keys").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private static Dictionary<string, JsonElement> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Key: $"{op.Name.ToUpperInvariant()} {path.Name}", op.Value)))
            .ToDictionary(x => x.Key, x => x.Value);

    /// <summary>The host as seen from <paramref name="address"/> (TestServer leaves the remote address unset).</summary>
    private static WebApplicationFactory<Program> From(WaitingRoomFactory factory, IPAddress address) =>
        factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<IStartupFilter>(new RemoteAddress(address));
            s.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0); // each scrape reads anew
        }));

    /// <summary>The value of one sample (with <c>room</c> when given), or null when the exposition has none.</summary>
    private static double? Sample(string exposition, string name, string? room)
    {
        foreach (Match match in SampleLine().Matches(exposition))
        {
            if (match.Groups["name"].Value == name && (room is null || match.Groups["labels"].Value.Contains($"room=\"{room}\"", StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, following) =>
            {
                http.Connection.RemoteIpAddress = address;
                return following(http);
            });
            next(app);
        };
    }
}
