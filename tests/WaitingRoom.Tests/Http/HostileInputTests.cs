using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Ticketing.Tests.Hostile;
using Ticketing.WaitingRoom.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>
/// At least a thousand generated hostile requests across every operation of the WaitingRoom's own OpenAPI document (read
/// at test time, so operations added later are covered too): as anonymous, as a fan with a ticket of their own, with
/// forged or tampered tickets and passes, as an organizer guessing the admin key, and as the admin on rooms of their
/// own. No answer may be a 5xx, and another fan's place and the room they wait in must stay as they were. The generator
/// is seeded (<c>HOSTILE_SEED</c>), so a failure names its request and seed.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const string Room = "sale";

    [Fact]
    public async Task A_thousand_hostile_requests_across_every_operation_get_no_5xx_and_move_no_other_fan()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        using var app = new WaitingRoomFactory(new() { ["Gateway:Destinations:0"] = upstream.BaseUrl }, kestrel: true);
        _ = app.Services;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
        using (var create = new HttpRequestMessage(HttpMethod.Put, $"/api/admin/rooms/{Room}") { Content = JsonContent.Create(new { identity = "anonymous", performanceIds = new[] { 2L }, ratePerMinute = 1, mode = "open" }) })
        {
            create.Headers.Add("X-Admin-Key", WaitingRoomFactory.AdminKey);
            (await client.SendAsync(create)).EnsureSuccessStatusCode();
        }
        var victimTicket = await JoinAsync(client);
        var attackerTicket = await JoinAsync(client);
        var tampered = attackerTicket[..^2] + (attackerTicket[^2] == 'A' ? "B" : "A") + attackerTicket[^1];
        var forgedPass = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImZvcmdlZCJ9." + Convert.ToBase64String("{\"sub\":\"x\",\"room\":\"sale\",\"exp\":4102444800}"u8.ToArray()).TrimEnd('=') + ".c2ln";
        var callers = new HostileCaller[]
        {
            new("anonymous", _ => { }),
            new("fan", r => { r.Headers.Add(FanTicketHeader, attackerTicket); r.Headers.Add("Cookie", $"wr_{Room}={attackerTicket}"); }),
            new("fan with a tampered ticket", r => r.Headers.Add(FanTicketHeader, tampered)),
            new("fan with a forged pass", r => { r.Headers.Add("X-Access-Pass", forgedPass); r.Headers.Add("Cookie", $"wr_pass_{Room}={forgedPass}"); }),
            new("organizer guessing the admin key", r => { r.Headers.Add("X-Admin-Key", "organizer-guess-0123456789"); r.Headers.Add("Authorization", "Bearer CfDJ8organizer"); }),
        };

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var operations = HostileRequestGenerator.Operations(document);
        Assert.Contains(operations, o => o.PathTemplate.Contains("/join", StringComparison.Ordinal));
        Assert.Contains(operations, o => o.PathTemplate.StartsWith("/api/admin/", StringComparison.Ordinal));
        var seed = HostileRequestGenerator.Seed;
        var fans = new HostileRequestGenerator(seed, document, new Dictionary<string, string[]> { ["roomId"] = [Room, "demo"] })
            .Generate(operations, callers, minimum: 1000, perOperation: callers.Length * 3);

        // The admin may change rooms, but only their own: this run never names the victim's room.
        var adminCaller = new HostileCaller("admin on rooms of their own", r => r.Headers.Add("X-Admin-Key", WaitingRoomFactory.AdminKey));
        var admin = new HostileRequestGenerator(seed + 1, document, new Dictionary<string, string[]> { ["roomId"] = ["scratch", "other"] })
            .Generate(operations, [adminCaller], minimum: 0, perOperation: 3)
            .Where(r => !r.Path.Contains("/" + Room, StringComparison.Ordinal) && !r.Path.Contains("/demo", StringComparison.Ordinal))
            .ToList();
        var before = await SnapshotAsync(client, victimTicket);

        var report = await HostileRunner.RunAsync(client, fans, seed);
        var adminReport = await HostileRunner.RunAsync(client, admin, seed + 1);

        output.WriteLine($"seed {seed}: {report.Sent} + {adminReport.Sent} requests over {operations.Count} operations; answers {string.Join(", ", report.ByStatus.Select(kv => $"{kv.Key}×{kv.Value}"))}; admin {string.Join(", ", adminReport.ByStatus.Select(kv => $"{kv.Key}×{kv.Value}"))}");
        Assert.True(report.Sent >= 1000);
        Assert.All(operations, o => Assert.True(report.ByOperation.GetValueOrDefault(o.ToString()) >= callers.Length, $"{o} was sent too few requests"));
        var failures = report.Failures.Concat(adminReport.Failures).ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(40)));
        Assert.Equal(before, await SnapshotAsync(client, victimTicket));
    }

    private const string FanTicketHeader = "X-Queue-Ticket";

    private static async Task<string> JoinAsync(HttpClient client)
    {
        using var response = await client.PostAsync($"/api/rooms/{Room}/join", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!;
    }

    /// <summary>The victim's place and state, and the room's settings as the admin sees them.</summary>
    private static async Task<string> SnapshotAsync(HttpClient client, string ticket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{Room}/status");
        request.Headers.Add(FanTicketHeader, ticket);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var admin = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/rooms/{Room}");
        admin.Headers.Add("X-Admin-Key", WaitingRoomFactory.AdminKey);
        using var answer = await client.SendAsync(admin);
        answer.EnsureSuccessStatusCode();
        var room = await answer.Content.ReadAsStringAsync();
        return $"{status.GetProperty("state").GetString()} place {Field(status, "place")} ahead {Field(status, "ahead")}\n{room}";
    }

    private static string Field(JsonElement status, string name) => status.TryGetProperty(name, out var value) ? value.ToString() : "-";
}
