using System.Net;
using System.Text.Json;
using Ticketing.Infrastructure.AccessPasses;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

public sealed class FanApiTests
{
    private static object OpenRoom(double perSecond = 1, int? maxActive = null) =>
        new { identity = "anonymous", performanceIds = new[] { 11L, 12L }, ratePerSecond = perSecond, maxActive, passLifetimeSeconds = 120 };

    private static async Task<(string Ticket, JsonElement Body)> JoinAsync(HttpClient fan, string room)
    {
        var response = await fan.PostEmptyAsync($"/api/rooms/{room}/join");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        var ticket = body.GetProperty("ticket").GetString()!;
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"wr_{room}={ticket}", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        return (ticket, body);
    }

    private static async Task<JsonElement> StatusAsync(HttpClient fan, string room, string ticket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/status");
        request.Headers.Add("X-Queue-Ticket", ticket);
        var response = await fan.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    [Fact]
    public async Task Join_gives_a_signed_ticket_and_a_place_and_joining_again_keeps_it()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", OpenRoom());
        using var fan = app.Fan();
        var (first, _) = await JoinAsync(fan, "sale");
        var (_, second) = await JoinAsync(fan, "sale");
        Assert.Equal(2, second.GetProperty("place").GetInt64());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/sale/join");
        request.Headers.Add("X-Queue-Ticket", first);
        var again = await Json.ReadAsync(await fan.SendAsync(request));
        Assert.Equal(1, again.GetProperty("place").GetInt64());
        Assert.Equal(first, again.GetProperty("ticket").GetString());
    }

    [Fact]
    public async Task Cookie_from_join_is_enough_for_status()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", OpenRoom());
        using var browser = app.CreateClient();
        (await browser.PostEmptyAsync("/api/rooms/sale/join")).EnsureSuccessStatusCode();
        var status = await Json.ReadAsync(await browser.GetAsync("/api/rooms/sale/status"));
        Assert.Equal("waiting", status.GetProperty("state").GetString());
        Assert.Equal(1, status.GetProperty("place").GetInt64());
    }

    [Fact]
    public async Task Waiting_fan_sees_ahead_and_wait_then_gets_a_pass_that_the_verifier_accepts()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", OpenRoom(perSecond: 2));
        using var fan = app.Fan();
        var tickets = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            tickets.Add((await JoinAsync(fan, "sale")).Ticket);
        }

        var waiting = await StatusAsync(fan, "sale", tickets[5]);
        Assert.Equal("waiting", waiting.GetProperty("state").GetString());
        Assert.Equal(6, waiting.GetProperty("place").GetInt64());
        Assert.Equal(5, waiting.GetProperty("ahead").GetInt64());
        Assert.Equal(3, waiting.GetProperty("estimatedWaitSeconds").GetInt64());
        Assert.True(waiting.GetProperty("pollAfterMs").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("pass").ValueKind);

        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var nearer = await StatusAsync(fan, "sale", tickets[5]);
        Assert.Equal(1, nearer.GetProperty("ahead").GetInt64());

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var admitted = await StatusAsync(fan, "sale", tickets[5]);
        Assert.Equal("admitted", admitted.GetProperty("state").GetString());
        var pass = admitted.GetProperty("pass").GetString()!;
        // The booking page of the room's first performance; the pass is never in the URL (it travels in a cookie).
        Assert.Equal("https://booking.test/performances/11", admitted.GetProperty("redirectUrl").GetString());
        Assert.Equal(JsonValueKind.Null, admitted.GetProperty("pollAfterMs").ValueKind);

        var verifier = new AccessPassVerifier(app.CreateClient(), new AccessPassVerifierOptions { JwksUrl = new Uri("http://localhost/.well-known/jwks.json") }, app.Clock);
        var ok = await verifier.VerifyAsync(pass, 12);
        Assert.True(ok.IsValid, ok.Error.ToString());
        Assert.Equal("sale", ok.Claims!.Room);
        Assert.Equal(tickets[5][..22], ok.Claims.Subject);
        Assert.Equal(AccessPassError.WrongPerformance, (await verifier.VerifyAsync(pass, 13)).Error);

        // The same fan asking again gets the same pass identity back.
        var repeat = await StatusAsync(fan, "sale", tickets[5]);
        var again = await verifier.VerifyAsync(repeat.GetProperty("pass").GetString(), 11);
        Assert.Equal(ok.Claims.Jti, again.Claims!.Jti);

        app.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal("expired", (await StatusAsync(fan, "sale", tickets[5])).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Fans_joining_before_opening_get_a_drawn_place_at_opening_and_later_fans_queue_behind()
    {
        using var app = new WaitingRoomFactory();
        var opensAt = app.Clock.GetUtcNow().AddMinutes(5);
        await app.CreateRoomAsync("presale", new { identity = "anonymous", performanceIds = new[] { 5L }, ratePerMinute = 600, opensAt });
        using var fan = app.Fan();
        var early = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var (ticket, body) = await JoinAsync(fan, "presale");
            Assert.True(body.GetProperty("preQueue").GetBoolean());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("place").ValueKind);
            Assert.Equal(opensAt, body.GetProperty("opensAt").GetDateTimeOffset());
            early.Add(ticket);
        }

        var poll = (await StatusAsync(fan, "presale", early[0])).GetProperty("pollAfterMs").GetInt32();
        Assert.InRange(poll, 1, 30_000 * 1.2);

        app.Clock.Set(opensAt.AddMilliseconds(10));
        var late = await JoinAsync(fan, "presale");
        Assert.Equal(41, late.Body.GetProperty("place").GetInt64());

        var places = new HashSet<long>();
        var inOrder = true;
        for (var i = 0; i < early.Count; i++)
        {
            var place = (await StatusAsync(fan, "presale", early[i])).GetProperty("place").GetInt64();
            places.Add(place);
            inOrder &= place == i + 1;
        }

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i).ToHashSet(), places);
        Assert.False(inOrder, "pre-queue places must not follow arrival order");
    }

    [Fact]
    public async Task Status_needs_a_valid_ticket_for_this_room()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("a", OpenRoom());
        await app.CreateRoomAsync("b", OpenRoom());
        using var fan = app.Fan();
        var (ticket, _) = await JoinAsync(fan, "a");

        await Json.AssertProblemAsync(await fan.GetAsync("/api/rooms/a/status"), 401, "ticket-missing");

        var tampered = ticket[..5] + (ticket[5] == 'A' ? 'B' : 'A') + ticket[6..];
        var forgedMac = ticket[..23] + new string('A', 22);
        foreach (var bad in new[] { tampered, forgedMac, "not-a-ticket", ticket + "x", new string('.', 45) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/rooms/a/status");
            request.Headers.Add("X-Queue-Ticket", bad);
            await Json.AssertProblemAsync(await fan.SendAsync(request), 403, "ticket-invalid");
        }

        using var otherRoom = new HttpRequestMessage(HttpMethod.Get, "/api/rooms/b/status");
        otherRoom.Headers.Add("X-Queue-Ticket", ticket);
        await Json.AssertProblemAsync(await fan.SendAsync(otherRoom), 403, "ticket-invalid");

        using var forgedJoin = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/a/join");
        forgedJoin.Headers.Add("X-Queue-Ticket", tampered);
        await Json.AssertProblemAsync(await fan.SendAsync(forgedJoin), 403, "ticket-invalid");
    }

    [Fact]
    public async Task Unknown_rooms_bad_ids_and_closed_rooms_answer_problems()
    {
        using var app = new WaitingRoomFactory();
        using var fan = app.Fan();
        await Json.AssertProblemAsync(await fan.PostEmptyAsync("/api/rooms/nosuch/join"), 404, "room-not-found");
        await Json.AssertProblemAsync(await fan.PostEmptyAsync("/api/rooms/BAD%21id/join"), 400, "invalid-room-id");
        await Json.AssertProblemAsync(await fan.PostEmptyAsync("/api/rooms/" + new string('a', 65) + "/join"), 400, "invalid-room-id");
        await Json.AssertProblemAsync(await fan.GetAsync("/api/rooms/Bad.Id/events"), 400, "invalid-room-id");

        await app.CreateRoomAsync("shut", new { identity = "anonymous", performanceIds = new[] { 1L }, ratePerSecond = 1, mode = "closed" });
        await Json.AssertProblemAsync(await fan.PostEmptyAsync("/api/rooms/shut/join"), 409, "room-closed");

        await app.CreateRoomAsync("gone", OpenRoom());
        var (ticket, _) = await JoinAsync(fan, "gone");
        using (var admin = app.Admin())
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/admin/rooms/gone")).StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/rooms/gone/status");
        request.Headers.Add("X-Queue-Ticket", ticket);
        await Json.AssertProblemAsync(await fan.SendAsync(request), 404, "room-not-found");
    }

    [Fact]
    public async Task Closing_a_room_tells_waiting_fans_it_is_closed()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", OpenRoom(perSecond: 0.1));
        using var fan = app.Fan();
        (await JoinAsync(fan, "sale")).Ticket.ToString();
        var (ticket, _) = await JoinAsync(fan, "sale");
        using (var admin = app.Admin())
        {
            (await admin.PatchAsync("/api/admin/rooms/sale", Json.Body(new { mode = "closed" }))).EnsureSuccessStatusCode();
        }

        var status = await StatusAsync(fan, "sale", ticket);
        Assert.Equal("closed", status.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("pollAfterMs").ValueKind);
    }

    [Fact]
    public async Task Join_is_rate_limited_per_client_with_retry_after()
    {
        using var app = new WaitingRoomFactory(new() { ["WaitingRoom:JoinRateLimit:PermitLimit"] = "3", ["WaitingRoom:JoinRateLimit:WindowSeconds"] = "60" });
        await app.CreateRoomAsync("sale", OpenRoom());
        using var fan = app.Fan();
        for (var i = 0; i < 3; i++)
        {
            (await fan.PostEmptyAsync("/api/rooms/sale/join")).EnsureSuccessStatusCode();
        }

        var limited = await fan.PostEmptyAsync("/api/rooms/sale/join");
        var problem = await Json.AssertProblemAsync(limited, 429, "rate-limited");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() > 0);

        // Status is not limited by the join policy.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await fan.GetAsync("/api/rooms/sale/status")).StatusCode);
    }

    [Fact]
    public async Task Poll_hints_are_jittered_so_fans_do_not_ask_in_lock_step()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", OpenRoom(perSecond: 0.5));
        using var fan = app.Fan();
        var hints = new HashSet<int>();
        for (var i = 0; i < 30; i++)
        {
            var body = (await JoinAsync(fan, "sale")).Body;
            hints.Add(body.GetProperty("pollAfterMs").GetInt32());
            Assert.InRange(body.GetProperty("pollAfterMs").GetInt32(), 2000 * 0.8, 30_000 * 1.2);
        }

        Assert.True(hints.Count > 20, $"only {hints.Count} distinct poll hints");
    }

    [Fact]
    public async Task Events_stream_status_updates_until_admission()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("live", OpenRoom(perSecond: 1));
        using var fan = app.Fan();
        await JoinAsync(fan, "live");
        var (ticket, _) = await JoinAsync(fan, "live");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/rooms/live/events");
        request.Headers.Add("X-Queue-Ticket", ticket);
        using var response = await fan.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var states = new List<string>();
        while (states.Count == 0 || states[^1] != "admitted")
        {
            var line = reader.ReadLineAsync();
            while (!line.IsCompleted)
            {
                // Move the fake clock until the server's next (timer-driven) event is written.
                app.Clock.Advance(TimeSpan.FromMilliseconds(500));
                await Task.WhenAny(line, Task.Delay(10));
            }

            var text = await line;
            Assert.NotNull(text);
            if (text.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(text[6..]);
                states.Add(doc.RootElement.GetProperty("state").GetString()!);
            }
        }

        Assert.Equal("waiting", states[0]);
        Assert.Equal("admitted", states[^1]);
    }
}
