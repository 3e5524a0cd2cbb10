using System.Security.Cryptography;
using System.Text.Json;
using Ticketing.Infrastructure.AccessPasses;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>Two WaitingRoom hosts sharing one Redis, configured as production would be (shared ticket and signing keys).</summary>
[Collection(RedisCollection.Name)]
public sealed class TwoInstancesTests(RedisServerFixture redis)
{
    private static async Task<JsonElement> StatusAsync(HttpClient client, string room, string ticket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/status");
        request.Headers.Add("X-Queue-Ticket", ticket);
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await Json.ReadAsync(response);
    }

    [Fact]
    public async Task Two_hosts_on_one_redis_admit_at_the_configured_rate_not_double()
    {
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var settings = new Dictionary<string, string?>
        {
            ["WaitingRoom:Store"] = "Redis",
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["WaitingRoom:TicketKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["WaitingRoom:Signing:PrivateKeyPem"] = signing.ExportPkcs8PrivateKeyPem(),
            ["WaitingRoom:SeedDemoRoom"] = "false",
        };
        var clock = new ManualTimeProvider();
        using var hostA = new WaitingRoomFactory(settings, clock);
        using var hostB = new WaitingRoomFactory(settings, clock);
        var room = "two-" + Guid.NewGuid().ToString("N")[..8];
        await hostA.CreateRoomAsync(room, new { identity = "anonymous", performanceIds = new[] { 31L }, ratePerMinute = 120 });
        using var a = hostA.Fan();
        using var b = hostB.Fan();
        HttpClient Host(int i) => i % 2 == 0 ? a : b;

        const int fans = 420;
        var tickets = new string[fans];
        for (var i = 0; i < fans; i++)
        {
            var join = await Json.ReadAsync(await Host(i).PostAsync($"/api/rooms/{room}/join", null));
            Assert.Equal(i + 1, join.GetProperty("place").GetInt64());
            tickets[i] = join.GetProperty("ticket").GetString()!;
        }

        // A ticket issued by one host is honoured by the other.
        Assert.Equal(2, (await StatusAsync(a, room, tickets[1])).GetProperty("place").GetInt64());

        var next = 0;
        string? lastPass = null;
        for (var minute = 0; minute < 3; minute++)
        {
            var count = 0;
            for (var second = 0; second < 60; second++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                while (next < fans)
                {
                    // Both hosts see each second; the one that asks first must not double it.
                    var status = await StatusAsync(Host(next + second), room, tickets[next]);
                    if (status.GetProperty("state").GetString() != "admitted")
                    {
                        break;
                    }

                    lastPass = status.GetProperty("pass").GetString();
                    next++;
                    count++;
                }
            }

            Assert.InRange(count, 120 * 0.99, 120 * 1.01);
        }

        using var admin = hostB.Admin();
        var stats = await Json.ReadAsync(await admin.GetAsync($"/api/admin/rooms/{room}/stats"));
        Assert.Equal(360, stats.GetProperty("admitted").GetInt64());
        Assert.Equal(360, stats.GetProperty("serving").GetInt64());

        // A pass from either host verifies with the other host's JWKS.
        var verifier = new AccessPassVerifier(hostA.CreateClient(), new AccessPassVerifierOptions { JwksUrl = new Uri("http://localhost/.well-known/jwks.json") }, clock);
        Assert.True((await verifier.VerifyAsync(lastPass, 31)).IsValid);
    }
}
