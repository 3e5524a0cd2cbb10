using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.EndToEnd.Tests.Infrastructure;

namespace Ticketing.EndToEnd.Tests;

/// <summary>
/// A fan's way through the product on one origin: without a pass the paced performance is refused with the queue's
/// address; the fan joins the demo room (an account room) with the fan identity the booking API signs; after the
/// queue admits them, the pass lives in the gateway's cookie alone and the hold goes through. The pass names the
/// account, so another account cannot use it, and the same account joining from another device keeps its place.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class QueueToHoldTests(TicketingStack stack)
{
    [Fact]
    public async Task A_fan_without_a_pass_is_sent_to_the_queue_and_once_admitted_holds_with_the_cookie_alone()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(stack.GatewayUrl) };
        var login = await http.PostAsJsonAsync("/api/accounts/login", new { email = "fan@demo.ticketing", password = "fan-demo-1" });
        Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync() + stack.Logs);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());

        // No pass: the API call is refused by the gateway, naming the room; a browser is sent to the queue page.
        var refused = await http.PostAsJsonAsync("/api/performances/2/holds", new { seatIds = new[] { 5101L, 5102L } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pass.required", problem.GetProperty("code").GetString());
        Assert.Equal("demo", problem.GetProperty("roomId").GetString());
        Assert.Equal("/queue/demo", problem.GetProperty("queueUrl").GetString());
        using (var page = new HttpRequestMessage(HttpMethod.Get, "/book/performances/2"))
        {
            page.Headers.Accept.ParseAdd("text/html");
            var redirected = await http.SendAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.Equal("/queue/demo", redirected.Headers.Location?.OriginalString);
        }

        // The demo room is an account room: a join without the fan identity is refused; with it, the place is the
        // account's. It also asks for proof of work: the fan solves its challenge first, as the queue page does.
        await AssertProblemAsync(await http.PostAsync("/api/rooms/demo/join", null), HttpStatusCode.Unauthorized, "identity.required");
        var identity = await IdentityAsync(http);
        var proof = await ProofOfWorkSolver.SolveAsync(http, "/api/rooms/demo/challenge");
        Assert.NotNull(proof);
        using var joinRequest = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/demo/join");
        joinRequest.Headers.Add("X-Fan-Identity", identity);
        joinRequest.Headers.Add("X-Proof-Of-Work", proof);
        var join = await http.SendAsync(joinRequest);
        Assert.True(join.IsSuccessStatusCode, await join.Content.ReadAsStringAsync());
        var ticket = (await join.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString();
        // Follow the room's event stream until it says "admitted" (the demo room admits one fan a second), then make
        // the one status request the queue page makes before moving on: it sets the pass cookie.
        using (var events = new HttpRequestMessage(HttpMethod.Get, "/api/rooms/demo/events"))
        {
            events.Headers.Add("X-Queue-Ticket", ticket);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var stream = await http.SendAsync(events, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
            string? state = null;
            while (state != "admitted" && await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    using var data = JsonDocument.Parse(line["data: ".Length..]);
                    state = data.RootElement.GetProperty("state").GetString();
                }
            }

            Assert.Equal("admitted", state);
        }

        using (var status = new HttpRequestMessage(HttpMethod.Get, "/api/rooms/demo/status"))
        {
            status.Headers.Add("X-Queue-Ticket", ticket);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(status)).StatusCode);
        }

        var passCookie = cookies.GetCookies(new Uri(stack.GatewayUrl)).Cast<Cookie>().Single(c => c.Name == "wr_pass_demo");
        Assert.True(passCookie.HttpOnly);

        // The hold carries no pass header: the gateway takes it from the cookie, and the WebApi checks it again.
        var held = await http.PostAsJsonAsync("/api/performances/2/holds", new { seatIds = new[] { 5101L, 5102L } });
        Assert.True(held.StatusCode == HttpStatusCode.Created, await held.Content.ReadAsStringAsync() + stack.Logs);

        // A leaked pass is worthless to another account: it names the account it was issued to.
        using (var other = new HttpClient { BaseAddress = new Uri(stack.GatewayUrl) })
        {
            var email = $"other-{Guid.NewGuid():N}@demo.ticketing";
            using (var register = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/register") { Content = JsonContent.Create(new { email, password = "other-password-1" }) })
            {
                // While the demo room takes fans, registration costs a solved challenge too.
                register.Headers.Add("X-Proof-Of-Work", await ProofOfWorkSolver.SolveAsync(other, "/api/accounts/registration-challenge"));
                Assert.Equal(HttpStatusCode.Created, (await other.SendAsync(register)).StatusCode);
            }

            var otherLogin = await other.PostAsJsonAsync("/api/accounts/login", new { email, password = "other-password-1" });
            other.DefaultRequestHeaders.Authorization = new("Bearer", (await otherLogin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
            using var stolen = new HttpRequestMessage(HttpMethod.Post, "/api/performances/2/holds") { Content = JsonContent.Create(new { seatIds = new[] { 5103L } }) };
            stolen.Headers.Add("X-Access-Pass", passCookie.Value);
            await AssertProblemAsync(await other.SendAsync(stolen), HttpStatusCode.Forbidden, "pass.other_account");
        }

        // The same account on a second device (no cookies, no ticket) is told the same: admitted, same place, no second place.
        using (var secondDevice = new HttpClient { BaseAddress = new Uri(stack.GatewayUrl) })
        {
            secondDevice.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
            using var again = new HttpRequestMessage(HttpMethod.Post, "/api/rooms/demo/join");
            again.Headers.Add("X-Fan-Identity", await IdentityAsync(secondDevice));
            again.Headers.Add("X-Proof-Of-Work", await ProofOfWorkSolver.SolveAsync(secondDevice, "/api/rooms/demo/challenge")); // a device without the account's ticket works too
            var rejoined = await (await secondDevice.SendAsync(again)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("admitted", rejoined.GetProperty("state").GetString());
            Assert.Equal(ticket, rejoined.GetProperty("ticket").GetString());
        }

        // The booking page itself is now served, not redirected.
        using var booking = new HttpRequestMessage(HttpMethod.Get, "/book/performances/2");
        booking.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(booking)).StatusCode);
    }

    private static async Task<string> IdentityAsync(HttpClient signedIn)
    {
        var response = await signedIn.PostAsync("/api/accounts/me/queue-identity", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("identity").GetString()!;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
    }
}
