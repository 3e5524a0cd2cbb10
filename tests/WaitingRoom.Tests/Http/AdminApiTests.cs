using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

public sealed class AdminApiTests
{
    [Fact]
    public async Task Admin_api_needs_the_admin_key_before_anything_else()
    {
        using var app = new WaitingRoomFactory();
        using var anonymous = app.CreateClient();
        await Json.AssertProblemAsync(await anonymous.GetAsync("/api/admin/rooms"), 401, "admin-key-missing");
        await Json.AssertProblemAsync(await anonymous.PutAsync("/api/admin/rooms/x", new StringContent("{bad", Encoding.UTF8, "application/json")), 401, "admin-key-missing");
        anonymous.DefaultRequestHeaders.Add("X-Admin-Key", "wrong-key-wrong-key");
        await Json.AssertProblemAsync(await anonymous.GetAsync("/api/admin/rooms"), 403, "admin-key-invalid");
        await Json.AssertProblemAsync(await anonymous.PostAsync("/api/admin/keys/rotate", null), 403, "admin-key-invalid");
    }

    [Fact]
    public async Task Demo_room_is_seeded_when_no_room_exists()
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        var rooms = await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms"));
        var demo = Assert.Single(rooms.EnumerateArray());
        Assert.Equal("demo", demo.GetProperty("id").GetString());
        Assert.Equal([2L], demo.GetProperty("performanceIds").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("open", demo.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Room_lifecycle_create_change_live_stats_delete()
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        var created = await admin.PutAsJsonAsync("/api/admin/rooms/tour", new { performanceIds = new[] { 3L, 4L }, ratePerMinute = 120, maxActive = 50, passLifetimeSeconds = 600 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json.ReadAsync(created);
        Assert.Equal(2, body.GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(120, body.GetProperty("ratePerMinute").GetDouble());
        Assert.Equal(50, body.GetProperty("maxActive").GetInt32());
        Assert.Equal("account", body.GetProperty("identity").GetString());

        for (var i = 0; i < 10; i++)
        {
            using var fan = app.SignedInFan(Guid.NewGuid());
            (await fan.PostAsync("/api/rooms/tour/join", null)).EnsureSuccessStatusCode();
        }

        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var stats = await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/tour/stats"));
        Assert.Equal(4, stats.GetProperty("serving").GetInt64());
        Assert.Equal(6, stats.GetProperty("queueLength").GetInt64());
        Assert.Equal(0, stats.GetProperty("admitted").GetInt64());
        Assert.Equal(0, stats.GetProperty("active").GetInt64());

        var paused = await admin.PatchAsync("/api/admin/rooms/tour", Json.Body(new { mode = "paused" }));
        Assert.Equal("paused", (await Json.ReadAsync(paused)).GetProperty("mode").GetString());
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(4, (await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/tour/stats"))).GetProperty("serving").GetInt64());

        var faster = await admin.PatchAsync("/api/admin/rooms/tour", Json.Body(new { mode = "open", ratePerSecond = 3 }));
        Assert.Equal(3, (await Json.ReadAsync(faster)).GetProperty("ratePerSecond").GetDouble());
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(7, (await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/tour/stats"))).GetProperty("serving").GetInt64());

        await Json.AssertProblemAsync(await admin.PatchAsync("/api/admin/rooms/tour", Json.Body(new { mode = "scheduled" })), 409, "room-already-open");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/admin/rooms/tour")).StatusCode);
        await Json.AssertProblemAsync(await admin.GetAsync("/api/admin/rooms/tour"), 404, "room-not-found");
        await Json.AssertProblemAsync(await admin.GetAsync("/api/admin/rooms/tour/stats"), 404, "room-not-found");
        await Json.AssertProblemAsync(await admin.DeleteAsync("/api/admin/rooms/tour"), 404, "room-not-found");
    }

    [Fact]
    public async Task Opening_a_scheduled_room_early_starts_admission_now()
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        var opensAt = app.Clock.GetUtcNow().AddHours(1);
        await app.CreateRoomAsync("later", new { identity = "anonymous", performanceIds = new[] { 1L }, ratePerSecond = 5, opensAt });
        Assert.Equal("scheduled", (await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/later"))).GetProperty("mode").GetString());
        using var fan = app.Fan();
        (await fan.PostAsync("/api/rooms/later/join", null)).EnsureSuccessStatusCode();
        Assert.False((await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/later/stats"))).GetProperty("opened").GetBoolean());

        var opened = await Json.ReadAsync(await admin.PatchAsync("/api/admin/rooms/later", Json.Body(new { mode = "open" })));
        Assert.Equal(app.Clock.GetUtcNow(), opened.GetProperty("opensAt").GetDateTimeOffset());
        var stats = await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/later/stats"));
        Assert.True(stats.GetProperty("opened").GetBoolean());
        Assert.Equal(1, stats.GetProperty("queueLength").GetInt64());
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { "{}", "performanceIds" },
        { """{"performanceIds":[1],"ratePerSecond":1,"identity":"robots"}""", "identity" },
        { """{"performanceIds":[],"ratePerSecond":1}""", "performanceIds" },
        { """{"performanceIds":[0],"ratePerSecond":1}""", "performanceIds" },
        { """{"performanceIds":[5,5],"ratePerSecond":1}""", "performanceIds" },
        { """{"performanceIds":[1]}""", "ratePerMinute" },
        { """{"performanceIds":[1],"ratePerSecond":-1}""", "ratePerSecond" },
        { """{"performanceIds":[1],"ratePerSecond":1000000}""", "ratePerSecond" },
        { """{"performanceIds":[1],"ratePerSecond":1,"ratePerMinute":60}""", "ratePerSecond" },
        { """{"performanceIds":[1],"ratePerSecond":1,"mode":"sideways"}""", "mode" },
        { """{"performanceIds":[1],"ratePerSecond":1,"maxActive":-3}""", "maxActive" },
        { """{"performanceIds":[1],"ratePerSecond":1,"passLifetimeSeconds":999999}""", "passLifetimeSeconds" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_room_bodies_answer_400_with_the_field_at_fault(string json, string field)
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        var response = await admin.PutAsync("/api/admin/rooms/bad", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await Json.AssertProblemAsync(response, 400, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    public static TheoryData<string, string?, int, string> UnreadableRequests => new()
    {
        { "{bad json", "application/json", 400, "bad-request" },
        { "", "application/json", 400, "bad-request" },
        { """{"performanceIds":"x","ratePerSecond":1}""", "application/json", 400, "bad-request" },
        { """{"performanceIds":[1e999],"ratePerSecond":1}""", "application/json", 400, "bad-request" },
        { """{"performanceIds":[1],"ratePerSecond":1,"opensAt":"tomorrow"}""", "application/json", 400, "bad-request" },
        { """{"performanceIds":[1],"ratePerSecond":1}""", "text/plain", 415, "unsupported-media-type" },
        { """{"performanceIds":[1],"ratePerSecond":1}""", null, 415, "unsupported-media-type" },
    };

    [Theory]
    [MemberData(nameof(UnreadableRequests))]
    public async Task Unreadable_requests_answer_4xx_problems_never_500(string body, string? contentType, int status, string code)
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        await Json.AssertProblemAsync(await admin.PutAsync("/api/admin/rooms/bad", content), status, code);
        await Json.AssertProblemAsync(await admin.PatchAsync("/api/admin/rooms/demo", content), status, code);
    }

    [Fact]
    public async Task Unknown_routes_wrong_methods_and_bad_ids_answer_problems()
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        // Unknown paths under the WaitingRoom's own prefixes are answered here; any other path is the WebApi's (proxied).
        await Json.AssertProblemAsync(await admin.GetAsync("/api/rooms/demo/nothing-here"), 404, "not-found");
        await Json.AssertProblemAsync(await admin.GetAsync("/api/admin/rooms/demo/nothing-here"), 404, "not-found");
        await Json.AssertProblemAsync(await admin.GetAsync("/api/rooms/demo/join"), 405, "method-not-allowed");
        await Json.AssertProblemAsync(await admin.GetAsync("/api/admin/rooms/UPPER"), 400, "invalid-room-id");
        await Json.AssertProblemAsync(await admin.PatchAsync("/api/admin/rooms/nosuch", Json.Body(new { mode = "open" })), 404, "room-not-found");
        await Json.AssertProblemAsync(await admin.PatchAsync("/api/admin/rooms/demo", Json.Body(new { mode = "nope" })), 400, "validation-failed");
    }

    [Fact]
    public async Task Health_and_queue_page_are_served()
    {
        using var app = new WaitingRoomFactory();
        using var client = app.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync("/health"));
        var page = await client.GetAsync("/queue/demo");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("queue.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var script = await client.GetAsync("/queue/assets/queue.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task Stats_json_has_the_admin_counters()
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        var stats = await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/demo/stats"));
        foreach (var name in new[] { "queueLength", "serving", "admitted", "active", "abandoned", "mode", "opened" })
        {
            Assert.True(stats.TryGetProperty(name, out _), name);
        }

        Assert.Equal(JsonValueKind.String, stats.GetProperty("mode").ValueKind);
    }
}
