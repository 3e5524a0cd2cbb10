using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.EndToEnd.Tests.Infrastructure;

namespace Ticketing.EndToEnd.Tests;

/// <summary>
/// Proof of work as the product runs it: the demo room asks for it on join, and while it is open the booking API asks
/// for it on registration too, learning the difficulty from the WaitingRoom's public policy.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ProofOfWorkTests(TicketingStack stack)
{
    [Fact]
    public async Task While_the_demo_room_is_open_registration_costs_a_solved_challenge_of_the_rooms_difficulty_used_once()
    {
        using var http = new HttpClient { BaseAddress = new Uri(stack.GatewayUrl) };
        var policy = await http.GetFromJsonAsync<JsonElement>("/api/rooms/proof-of-work");
        var roomDifficulty = policy.GetProperty("difficulty").GetInt32();
        Assert.True(roomDifficulty > 0, policy.ToString());

        var email = $"pow-{Guid.NewGuid():N}@tests.ticketing";
        var body = new { email, password = "pow-password-1", displayName = "Pow" };
        var refused = await http.PostAsJsonAsync("/api/accounts/register", body);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("pow.required", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var challenge = await http.GetFromJsonAsync<JsonElement>("/api/accounts/registration-challenge");
        Assert.Equal(roomDifficulty, challenge.GetProperty("difficulty").GetInt32());
        var proof = await ProofOfWorkSolver.SolveAsync(http, "/api/accounts/registration-challenge");
        using (var register = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/register") { Content = JsonContent.Create(body) })
        {
            register.Headers.Add("X-Proof-Of-Work", proof);
            var created = await http.SendAsync(register);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync() + stack.Logs);
        }

        using var replay = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/register")
        {
            Content = JsonContent.Create(new { email = "again-" + email, password = "pow-password-1" }),
        };
        replay.Headers.Add("X-Proof-Of-Work", proof);
        var second = await http.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal("pow.invalid", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_join_of_the_demo_room_without_work_is_refused()
    {
        using var http = new HttpClient { BaseAddress = new Uri(stack.GatewayUrl) };
        var login = await http.PostAsJsonAsync("/api/accounts/login", new { email = "fan@demo.ticketing", password = "fan-demo-1" });
        Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var identity = (await (await http.PostAsync("/api/accounts/me/queue-identity", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("identity").GetString();

        // Signed in (the demo room is an account room), but without the work: refused.
        using var join = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/demo/join");
        join.Headers.Add("X-Fan-Identity", identity);
        var refused = await http.SendAsync(join);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("pow.required", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
