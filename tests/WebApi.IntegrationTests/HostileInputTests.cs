using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Tests.Hostile;
using Ticketing.WebApi.IntegrationTests.AccessPasses;
using Ticketing.WebApi.IntegrationTests.Holds;
using Xunit.Abstractions;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>
/// At least a thousand generated hostile requests across every operation of the WebApi's own OpenAPI document (read at
/// test time, so operations added later are covered too), as anonymous, as a fan, as an organizer and with forged or
/// expired tokens and passes. No answer may be a 5xx, and another fan's orders, payments, tickets and refunds must
/// stay exactly as they were. The generator is seeded (<c>HOSTILE_SEED</c>), so a failure names its request and seed.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestPassIssuer _issuer = null!;
    private BookingApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestPassIssuer.StartAsync();
        _api = new BookingApiFactory().With("AccessPasses:JwksUrl", _issuer.JwksUrl);
        // Real HTTP: the test server would refuse some odd paths (a NUL) in the client, before Kestrel's own checks.
        _api.UseKestrel(0);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_thousand_hostile_requests_across_every_operation_get_no_5xx_and_change_nothing_of_another_fan()
    {
        // An access token that has expired by the time the requests go out (tokens last an hour).
        var expiredToken = Token(await _api.FanAsync("hostile-expired@test.ticketing"));
        _api.Clock.Advance(TimeSpan.FromMinutes(61));

        // The victim: a paid order with tickets and a payment, a pending hold, a refund of one seat.
        var victim = await _api.FanAsync("hostile-victim@test.ticketing");
        var paid = await HoldAsync(victim, 3901, 3902);
        var key = (await (await victim.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId = paid.Id })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paymentKey").GetString();
        Assert.Equal(HttpStatusCode.OK, (await victim.PostAsJsonAsync("/api/payments/confirm", new { paymentKey = key, orderId = paid.Id, amount = paid.Amount })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victim.PostAsJsonAsync($"/api/orders/{paid.Id}/cancellation", new { seatIds = new[] { 3902L } })).StatusCode);
        var pending = await HoldAsync(victim, 3911);
        var victimId = (await victim.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()!;
        string[] ticketIds;
        await using (var scope = _api.Services.CreateAsyncScope())
        {
            var fanId = Guid.Parse(victimId);
            ticketIds = [.. (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Tickets.AsNoTracking().Where(t => t.FanId == fanId).Select(t => t.Id).ToListAsync()).Select(id => id.ToString())];
        }

        // The callers: a fan with orders of their own, an organizer of other events, and nobody.
        var attacker = await _api.FanAsync("hostile-attacker@test.ticketing");
        await HoldAsync(attacker, 3921);
        var organizerToken = await OtherOrganizerTokenAsync();
        var now = _api.Clock.GetUtcNow();
        var expiredPass = _issuer.Pass("demo", [2], now - TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var forgedPass = TestPassIssuer.ForgedPass("demo", [2], now);
        var attackerToken = Token(attacker);
        var callers = new HostileCaller[]
        {
            new("anonymous", _ => { }),
            new("fan", r => HostileRunner.Bearer(r, attackerToken)),
            new("fan with an expired pass", r => { HostileRunner.Bearer(r, attackerToken); r.Headers.Add("X-Access-Pass", expiredPass); }),
            new("fan with a forged pass", r => { HostileRunner.Bearer(r, attackerToken); r.Headers.Add("Cookie", "access_pass=" + forgedPass); }),
            new("organizer", r => HostileRunner.Bearer(r, organizerToken)),
            new("forged token", r => HostileRunner.Bearer(r, "CfDJ8" + TestPassIssuer.B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(180)))),
            new("expired token", r => HostileRunner.Bearer(r, expiredToken)),
        };

        using var anonymous = _api.CreateClient();
        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var operations = HostileRequestGenerator.Operations(document);
        Assert.True(operations.Count >= 30, $"only {operations.Count} operations documented");
        var known = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["orderId"] = [paid.Id, pending.Id],
            ["ticketId"] = ticketIds,
            ["userId"] = [victimId],
            ["performanceId"] = ["1", "2"],
            ["eventId"] = ["1"],
            ["id"] = [paid.Id, pending.Id, .. ticketIds, victimId, "1", "2"],
        };
        var seed = HostileRequestGenerator.Seed;
        var requests = new HostileRequestGenerator(seed, document, known).Generate(operations, callers, minimum: 1000, perOperation: callers.Length * 3);
        var before = await SnapshotAsync(Guid.Parse(victimId));

        var report = await HostileRunner.RunAsync(anonymous, requests, seed);

        output.WriteLine($"seed {seed}: {report.Sent} requests over {operations.Count} operations; answers {string.Join(", ", report.ByStatus.Select(kv => $"{kv.Key}×{kv.Value}"))}");
        Assert.True(report.Sent >= 1000);
        Assert.All(operations, o => Assert.True(report.ByOperation.GetValueOrDefault(o.ToString()) >= callers.Length, $"{o} was sent too few requests"));
        Assert.True(report.Failures.Count == 0, string.Join('\n', report.Failures.Take(40)));
        Assert.Equal(before, await SnapshotAsync(Guid.Parse(victimId)));
    }

    [Theory]
    [InlineData("/api/accounts/register", "application/json; charset=utf-7")]
    [InlineData("/api/accounts/refresh", "application/json; charset=nonsense")]
    [InlineData("/api/performances/1/holds", "application/problem+json; charset=latin1")]
    public async Task A_json_body_in_another_charset_is_refused_with_415_not_a_500(string path, string contentType)
    {
        using var client = _api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"seatIds\":[1]}") };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.SendAsync(request);

        await Api.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "content_type.charset");
    }

    private static async Task<(string Id, long Amount)> HoldAsync(HttpClient fan, params long[] seats)
    {
        var response = await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = seats });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (order.GetProperty("id").GetString()!, order.GetProperty("totalAmount").GetInt64());
    }

    private static string Token(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;

    private async Task<string> OtherOrganizerTokenAsync()
    {
        var organizer = await _api.FanAsync("hostile-organizer@test.ticketing");
        var id = (await organizer.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        var admin = await BookingApiFactory.LogInAsync(_api.CreateClient(), "admin@test.ticketing", "admin-test-1");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{id}/role", new { role = "organizer" })).StatusCode);
        return Token(await BookingApiFactory.LogInAsync(organizer, "hostile-organizer@test.ticketing", "fan-password-1"));
    }

    /// <summary>The victim's rows as stored: orders with their lines, payments, tickets and refunds.</summary>
    private async Task<string> SnapshotAsync(Guid fanId)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => o.FanId == fanId).OrderBy(o => o.Id).ToListAsync();
        var orderIds = orders.Select(o => o.Id).ToList();
        var payments = await db.Payments.AsNoTracking().Where(p => orderIds.Contains(p.OrderId)).OrderBy(p => p.OrderId).ToListAsync();
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.FanId == fanId).OrderBy(t => t.Id).ToListAsync();
        var refunds = await db.Refunds.AsNoTracking().Where(r => orderIds.Contains(r.OrderId)).OrderBy(r => r.Id).ToListAsync();
        Assert.NotEmpty(payments);
        Assert.NotEmpty(tickets);
        Assert.NotEmpty(refunds);
        return JsonSerializer.Serialize(new { orders, payments, tickets, refunds }, new JsonSerializerOptions { ReferenceHandler = ReferenceHandler.IgnoreCycles, WriteIndented = true });
    }
}
