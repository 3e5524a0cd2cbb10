using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>
/// Account rooms (the default): a join carries the WebApi's fan identity, the place belongs to the account from any
/// device, and the pass names the account. Joins from another site are refused.
/// </summary>
public sealed class FanIdentityJoinTests
{
    private static object AccountRoom(double perSecond = 1) => new { performanceIds = new[] { 11L }, ratePerSecond = perSecond, passLifetimeSeconds = 120 };

    [Fact]
    public async Task One_account_joining_from_two_devices_gets_the_same_place()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", AccountRoom());
        var account = Guid.NewGuid();
        using (var others = app.SignedInFan(Guid.NewGuid()))
        {
            await JoinAsync(others, "sale");
        }

        using var phone = app.SignedInFan(account);
        using var laptop = app.SignedInFan(account);
        var first = await JoinAsync(phone, "sale");
        var second = await JoinAsync(laptop, "sale");
        using var anotherAccount = app.SignedInFan(Guid.NewGuid());
        var third = await JoinAsync(anotherAccount, "sale");

        Assert.Equal("waiting", first.GetProperty("state").GetString());
        Assert.Equal(2, first.GetProperty("place").GetInt64());
        Assert.Equal(2, second.GetProperty("place").GetInt64());
        Assert.Equal(first.GetProperty("ticket").GetString(), second.GetProperty("ticket").GetString());
        Assert.Equal(3, third.GetProperty("place").GetInt64());

        // The same place even when a device presents an old or someone else's ticket: the identity decides.
        using var withOtherTicket = app.SignedInFan(account);
        withOtherTicket.DefaultRequestHeaders.Add("X-Queue-Ticket", third.GetProperty("ticket").GetString());
        Assert.Equal(2, (await JoinAsync(withOtherTicket, "sale")).GetProperty("place").GetInt64());
        using var admin = app.Admin();
        Assert.Equal(3, (await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/sale/stats"))).GetProperty("tail").GetInt64());
    }

    [Fact]
    public async Task The_pass_of_an_account_room_names_the_account()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", AccountRoom(perSecond: 100));
        var account = Guid.NewGuid();
        using var fan = app.SignedInFan(account);
        var ticket = (await JoinAsync(fan, "sale")).GetProperty("ticket").GetString()!;
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        using var status = new HttpRequestMessage(HttpMethod.Get, "/api/rooms/sale/status");
        status.Headers.Add("X-Queue-Ticket", ticket);
        var admitted = await Json.ReadAsync(await app.Fan().SendAsync(status));

        Assert.Equal("admitted", admitted.GetProperty("state").GetString());
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(admitted.GetProperty("pass").GetString()!.Split('.')[1]));
        Assert.Equal(account.ToString("D"), claims.RootElement.GetProperty("sub").GetString());
        Assert.NotEqual(ticket[..22], claims.RootElement.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task An_account_room_refuses_joins_without_a_good_identity()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", AccountRoom());
        var now = app.Clock.GetUtcNow();
        var accounts = TestAccounts.Shared;
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var valid = accounts.Identity(Guid.NewGuid(), now);
        var parts = valid.Split('.');

        await Json.AssertProblemAsync(await app.Fan().PostAsync("/api/rooms/sale/join", null), 401, "identity.required");
        await AssertRefusedAsync(app, "not-a-jws", "identity.invalid");
        await AssertRefusedAsync(app, accounts.Identity(Guid.NewGuid(), now - TimeSpan.FromMinutes(10), lifetime: TimeSpan.FromMinutes(5)), "identity.expired");
        await AssertRefusedAsync(app, accounts.Identity(Guid.NewGuid(), now, audience: "ticketing-webapi"), "identity.invalid");
        await AssertRefusedAsync(app, accounts.Identity(Guid.NewGuid(), now, issuer: "someone-else"), "identity.invalid");
        await AssertRefusedAsync(app, accounts.Identity(Guid.NewGuid(), now, signWith: stranger), "identity.invalid");
        await AssertRefusedAsync(app, accounts.Identity(Guid.NewGuid(), now, kid: "unpublished"), "identity.invalid");
        await AssertRefusedAsync(app, parts[0] + "." + accounts.Identity(Guid.NewGuid(), now).Split('.')[1] + "." + parts[2], "identity.invalid");
        await AssertRefusedAsync(app, Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8) + "." + parts[1] + ".", "identity.invalid");

        using var admin = app.Admin();
        Assert.Equal(0, (await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/sale/stats"))).GetProperty("tail").GetInt64());
    }

    [Fact]
    public async Task An_anonymous_room_needs_no_identity_and_keeps_places_by_ticket()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("open-sale", new { identity = "anonymous", performanceIds = new[] { 11L }, ratePerSecond = 1 });
        using var admin = app.Admin();
        Assert.Equal("anonymous", (await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/open-sale"))).GetProperty("identity").GetString());
        await Json.AssertProblemAsync(await admin.PatchAsync("/api/admin/rooms/open-sale", Json.Body(new { identity = "account" })), 400, "validation-failed");

        using var fan = app.Fan();
        var first = await JoinAsync(fan, "open-sale");
        var second = await JoinAsync(fan, "open-sale");

        Assert.Equal(1, first.GetProperty("place").GetInt64());
        Assert.Equal(2, second.GetProperty("place").GetInt64());
    }

    [Fact]
    public async Task The_demo_room_is_an_account_room()
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();

        Assert.Equal("account", (await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/demo"))).GetProperty("identity").GetString());
        await Json.AssertProblemAsync(await app.Fan().PostAsync("/api/rooms/demo/join", null), 401, "identity.required");
    }

    [Fact]
    public async Task A_cross_site_join_is_refused_and_same_site_or_api_joins_are_not()
    {
        using var app = new WaitingRoomFactory(new() { ["WaitingRoom:JoinAllowedOrigins:0"] = "https://partner.example" });
        await app.CreateRoomAsync("sale", new { identity = "anonymous", performanceIds = new[] { 11L }, ratePerSecond = 1 });
        using var fan = app.Fan();

        await Json.AssertProblemAsync(await JoinFromAsync(fan, "https://evil.example"), 403, "origin.forbidden");
        await Json.AssertProblemAsync(await JoinFromAsync(fan, "null"), 403, "origin.forbidden");
        await Json.AssertProblemAsync(await JoinFromAsync(fan, "http://localhost.evil.example"), 403, "origin.forbidden");
        using (var admin = app.Admin())
        {
            Assert.Equal(0, (await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/sale/stats"))).GetProperty("tail").GetInt64());
        }

        Assert.Equal(HttpStatusCode.OK, (await JoinFromAsync(fan, "http://localhost")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await JoinFromAsync(fan, "https://partner.example")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await JoinFromAsync(fan, null)).StatusCode);
    }

    [Fact]
    public async Task The_queue_ticket_cookie_is_http_only_and_same_site_strict()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", AccountRoom());
        using var fan = app.SignedInFan(Guid.NewGuid());

        var response = await fan.PostAsync("/api/rooms/sale/join", null);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wr_sale=", StringComparison.Ordinal));
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_any_known_identity_key_a_join_answers_503_with_retry_after()
    {
        using var app = new WaitingRoomFactory(new() { ["WaitingRoom:FanIdentity:JwksUrl"] = "http://127.0.0.1:1/.well-known/fan-identity/jwks.json" });
        await app.CreateRoomAsync("sale", AccountRoom());
        using var fan = app.SignedInFan(Guid.NewGuid());

        var response = await fan.PostAsync("/api/rooms/sale/join", null);

        await Json.AssertProblemAsync(response, 503, "identity.keys-unavailable");
        Assert.True(response.Headers.RetryAfter is not null);
    }

    private static async Task AssertRefusedAsync(WaitingRoomFactory app, string identity, string code)
    {
        using var fan = app.Fan();
        fan.DefaultRequestHeaders.Add("X-Fan-Identity", identity);
        await Json.AssertProblemAsync(await fan.PostAsync("/api/rooms/sale/join", null), 401, code);
    }

    private static Task<HttpResponseMessage> JoinFromAsync(HttpClient fan, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/sale/join");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return fan.SendAsync(request);
    }

    private static async Task<JsonElement> JoinAsync(HttpClient fan, string room)
    {
        var response = await fan.PostAsync($"/api/rooms/{room}/join", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }
}
