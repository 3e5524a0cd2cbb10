using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.WaitingRoom.ProofOfWork;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>Proof of work on join: each new place costs a solved, fresh, unused challenge of the room.</summary>
public sealed class ProofOfWorkApiTests
{
    private static object PowRoom(int difficulty) =>
        new { identity = "anonymous", performanceIds = new[] { 11L }, ratePerSecond = 1, passLifetimeSeconds = 120, powDifficulty = difficulty };

    private static async Task<(string Challenge, int Difficulty, DateTimeOffset ExpiresAt)> ChallengeAsync(HttpClient fan, string room)
    {
        var response = await fan.GetAsync($"/api/rooms/{room}/challenge");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = await Json.ReadAsync(response);
        return (body.GetProperty("challenge").GetString()!, body.GetProperty("difficulty").GetInt32(), body.GetProperty("expiresAt").GetDateTimeOffset());
    }

    private static Task<HttpResponseMessage> JoinAsync(HttpClient fan, string room, string? proof, string? ticket = null, string? identity = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rooms/{room}/join");
        if (identity is not null)
        {
            request.Headers.Add("X-Fan-Identity", identity);
        }

        if (proof is not null)
        {
            request.Headers.Add(ProofOfWorkGate.Header, proof);
        }

        if (ticket is not null)
        {
            request.Headers.Add("X-Queue-Ticket", ticket);
        }

        return fan.SendAsync(request);
    }

    private static async Task<string> SolvedAsync(HttpClient fan, string room)
    {
        var (challenge, difficulty, _) = await ChallengeAsync(fan, room);
        return challenge + ":" + Hashcash.Solve(challenge, difficulty);
    }

    [Fact]
    public async Task A_new_place_needs_a_solved_challenge_which_buys_exactly_one_place_and_a_rejoin_with_the_ticket_needs_none()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", PowRoom(8));
        using var fan = app.Fan();

        await Json.AssertProblemAsync(await JoinAsync(fan, "sale", null), 403, "pow.required");

        var (challenge, difficulty, expiresAt) = await ChallengeAsync(fan, "sale");
        Assert.Equal(8, difficulty);
        Assert.Equal(app.Clock.GetUtcNow() + ProofOfWorkGate.ChallengeLifetime, expiresAt);
        var proof = challenge + ":" + Hashcash.Solve(challenge, difficulty);
        var joined = await JoinAsync(fan, "sale", proof);
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        var body = await Json.ReadAsync(joined);
        Assert.Equal(1, body.GetProperty("place").GetInt64());
        var ticket = body.GetProperty("ticket").GetString()!;

        var replay = await Json.AssertProblemAsync(await JoinAsync(fan, "sale", proof), 403, "pow.invalid");
        Assert.Contains("already used", replay.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await Json.ReadAsync(await app.Admin().GetAsync("/api/admin/rooms/sale/stats"))).GetProperty("tail").GetInt64());

        // The fan keeps the place on a reload without solving again: the ticket proves the work was done.
        var again = await JoinAsync(fan, "sale", null, ticket);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await Json.ReadAsync(again)).GetProperty("place").GetInt64());

        var second = await JoinAsync(fan, "sale", await SolvedAsync(fan, "sale"));
        Assert.Equal(2, (await Json.ReadAsync(second)).GetProperty("place").GetInt64());
    }

    [Fact]
    public async Task An_expired_challenge_is_refused_with_a_detail_that_says_so()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", PowRoom(4));
        using var fan = app.Fan();
        var proof = await SolvedAsync(fan, "sale");
        app.Clock.Advance(ProofOfWorkGate.ChallengeLifetime);
        var problem = await Json.AssertProblemAsync(await JoinAsync(fan, "sale", proof), 403, "pow.invalid");
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_nonces_forged_or_altered_challenges_and_another_rooms_challenge_are_refused()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("sale", PowRoom(12));
        await app.CreateRoomAsync("other", PowRoom(12));
        using var fan = app.Fan();
        var (challenge, _, _) = await ChallengeAsync(fan, "sale");
        var wrong = Enumerable.Range(0, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).First(n => !Hashcash.IsSolved(challenge, n, 12));
        await Json.AssertProblemAsync(await JoinAsync(fan, "sale", challenge + ":" + wrong), 403, "pow.invalid");

        // Lowering the difficulty written in the challenge breaks its signature.
        var parts = challenge.Split('.');
        parts[2] = "0";
        var altered = string.Join('.', parts);
        await Json.AssertProblemAsync(await JoinAsync(fan, "sale", altered + ":0"), 403, "pow.invalid");

        foreach (var junk in new[] { "", ":", "x:1", "pw1.sale.0.1.a.b:1", challenge, challenge + ":" + new string('1', 40), new string('a', 5000) + ":1" })
        {
            var response = await JoinAsync(fan, "sale", junk);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var foreign = await SolvedAsync(fan, "other");
        var problem = await Json.AssertProblemAsync(await JoinAsync(fan, "sale", foreign), 403, "pow.invalid");
        Assert.Contains("another room", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await Json.ReadAsync(await app.Admin().GetAsync("/api/admin/rooms/sale/stats"))).GetProperty("tail").GetInt64());
    }

    [Fact]
    public async Task Difficulty_changes_live_for_the_next_challenge_and_easier_outstanding_challenges_stop_counting()
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        await app.CreateRoomAsync("sale", PowRoom(0));
        using var fan = app.Fan();
        Assert.Equal(HttpStatusCode.OK, (await JoinAsync(fan, "sale", null)).StatusCode);

        var patched = await admin.PatchAsync("/api/admin/rooms/sale", Json.Body(new { powDifficulty = 4 }));
        Assert.Equal(4, (await Json.ReadAsync(patched)).GetProperty("powDifficulty").GetInt32());
        await Json.AssertProblemAsync(await JoinAsync(fan, "sale", null), 403, "pow.required");
        var easy = await SolvedAsync(fan, "sale");

        (await admin.PatchAsync("/api/admin/rooms/sale", Json.Body(new { powDifficulty = 10 }))).EnsureSuccessStatusCode();
        var (_, difficulty, _) = await ChallengeAsync(fan, "sale");
        Assert.Equal(10, difficulty);
        var problem = await Json.AssertProblemAsync(await JoinAsync(fan, "sale", easy), 403, "pow.invalid");
        Assert.Contains("now asks for 10", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await JoinAsync(fan, "sale", await SolvedAsync(fan, "sale"))).StatusCode);

        var room = await Json.ReadAsync(await admin.GetAsync("/api/admin/rooms/sale"));
        Assert.Equal(10, room.GetProperty("powDifficulty").GetInt32());
        (await admin.PatchAsync("/api/admin/rooms/sale", Json.Body(new { powDifficulty = 0 }))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await JoinAsync(fan, "sale", null)).StatusCode);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(31)]
    public async Task Difficulty_out_of_range_is_a_validation_problem(int difficulty)
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        var created = await Json.AssertProblemAsync(await admin.PutAsJsonAsync("/api/admin/rooms/sale", PowRoom(difficulty)), 400, "validation-failed");
        Assert.True(created.GetProperty("errors").TryGetProperty("powDifficulty", out _));
        await Json.AssertProblemAsync(await admin.PatchAsync("/api/admin/rooms/demo", Json.Body(new { powDifficulty = difficulty })), 400, "validation-failed");
    }

    [Fact]
    public async Task Challenges_of_unknown_or_invalid_rooms_are_problems()
    {
        using var app = new WaitingRoomFactory();
        using var fan = app.Fan();
        await Json.AssertProblemAsync(await fan.GetAsync("/api/rooms/nosuch/challenge"), 404, "room-not-found");
        await Json.AssertProblemAsync(await fan.GetAsync("/api/rooms/Bad!/challenge"), 400, "invalid-room-id");
    }

    [Fact]
    public async Task The_demo_room_asks_for_work_and_the_policy_reports_the_hardest_room_that_takes_fans()
    {
        using var app = new WaitingRoomFactory();
        using var fan = app.Fan();
        var policy = await Json.ReadAsync(await fan.GetAsync("/api/rooms/proof-of-work"));
        Assert.Equal(1, policy.GetProperty("activeRooms").GetInt32());
        Assert.Equal(WaitingRoomOptions.DefaultDemoPowDifficulty, policy.GetProperty("difficulty").GetInt32());
        // The demo room is an account room: the identity is checked first, then the work.
        await Json.AssertProblemAsync(await JoinAsync(fan, "demo", null), 401, "identity.required");
        await Json.AssertProblemAsync(await JoinAsync(fan, "demo", null, identity: TestAccounts.Shared.Identity(Guid.NewGuid(), app.Clock.GetUtcNow())), 403, "pow.required");

        await app.CreateRoomAsync("hard", new { performanceIds = new[] { 9L }, ratePerSecond = 1, powDifficulty = 20, mode = "closed" });
        await app.CreateRoomAsync("easy", PowRoom(3));
        policy = await Json.ReadAsync(await fan.GetAsync("/api/rooms/proof-of-work"));
        Assert.Equal(2, policy.GetProperty("activeRooms").GetInt32());
        Assert.Equal(WaitingRoomOptions.DefaultDemoPowDifficulty, policy.GetProperty("difficulty").GetInt32());

        using var admin = app.Admin();
        (await admin.PatchAsync("/api/admin/rooms/demo", Json.Body(new { mode = "closed" }))).EnsureSuccessStatusCode();
        policy = await Json.ReadAsync(await fan.GetAsync("/api/rooms/proof-of-work"));
        Assert.Equal(1, policy.GetProperty("activeRooms").GetInt32());
        Assert.Equal(3, policy.GetProperty("difficulty").GetInt32());
    }

    [Fact]
    public async Task Demo_room_difficulty_comes_from_configuration()
    {
        using var app = new WaitingRoomFactory(new Dictionary<string, string?> { ["WaitingRoom:DemoPowDifficulty"] = "0" });
        using var fan = app.Fan();
        Assert.Equal(HttpStatusCode.OK, (await JoinAsync(fan, "demo", null, identity: TestAccounts.Shared.Identity(Guid.NewGuid(), app.Clock.GetUtcNow()))).StatusCode);
    }

    [Fact]
    public async Task In_an_account_room_only_the_accounts_own_ticket_spares_the_work_and_another_accounts_ticket_buys_nothing()
    {
        using var app = new WaitingRoomFactory();
        await app.CreateRoomAsync("acct", new { performanceIds = new[] { 12L }, ratePerSecond = 1, passLifetimeSeconds = 120, powDifficulty = 8 });
        using var fan = app.Fan();
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        string Identity(Guid account) => TestAccounts.Shared.Identity(account, app.Clock.GetUtcNow());

        // Signed in but without work: refused.
        await Json.AssertProblemAsync(await JoinAsync(fan, "acct", null, identity: Identity(alice)), 403, "pow.required");

        var joined = await JoinAsync(fan, "acct", await SolvedAsync(fan, "acct"), identity: Identity(alice));
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        var aliceTicket = (await Json.ReadAsync(joined)).GetProperty("ticket").GetString()!;

        // Alice again with her own ticket: no work, the same place.
        var again = await JoinAsync(fan, "acct", null, aliceTicket, Identity(alice));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(aliceTicket, (await Json.ReadAsync(again)).GetProperty("ticket").GetString());

        // Bob presenting Alice's ticket gets no free place: work is asked of him as of anyone new.
        await Json.AssertProblemAsync(await JoinAsync(fan, "acct", null, aliceTicket, Identity(bob)), 403, "pow.required");
        using var admin = app.Admin();
        var stats = await (await admin.GetAsync("/api/admin/rooms/acct/stats")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, stats.GetProperty("tail").GetInt64());
    }
}
