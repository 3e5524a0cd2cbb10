using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.WaitingRoom.Admission;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>
/// Inventory-aware admission over HTTP: two WaitingRoom hosts on one real Redis read a real (fake) inventory endpoint;
/// the lease runs the controller on one of them each second, both stop admitting at the seats-left cap, and every
/// waiting fan is told sold out (status and event stream) at the controller's next second.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InventoryAdmissionTests(RedisServerFixture redis)
{
    private const long Performance = 41;

    private static async Task<JsonElement> StatusAsync(HttpClient client, string room, string ticket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/status");
        request.Headers.Add("X-Queue-Ticket", ticket);
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await Json.ReadAsync(response);
    }

    private static async Task<string> NextStateAsync(StreamReader reader)
    {
        while (true)
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.NotNull(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(line[6..]);
                return doc.RootElement.GetProperty("state").GetString()!;
            }
        }
    }

    [Fact]
    public async Task Two_hosts_run_the_controller_once_stop_at_the_cap_and_both_say_sold_out()
    {
        await using var inventory = await FakeInventoryServer.StartAsync();
        inventory.SetSeats(Performance, available: 3, held: 1);
        await redis.Connection.GetDatabase().KeyDeleteAsync("wr:controller-lease");
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var settings = new Dictionary<string, string?>
        {
            ["WaitingRoom:Store"] = "Redis",
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["WaitingRoom:TicketKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["WaitingRoom:Signing:PrivateKeyPem"] = signing.ExportPkcs8PrivateKeyPem(),
            ["WaitingRoom:SeedDemoRoom"] = "false",
            ["WaitingRoom:Admission:InventoryUrl"] = inventory.BaseUrl,
            ["WaitingRoom:Admission:ServiceKey"] = "service-key-for-tests",
        };
        var clock = new ManualTimeProvider();
        using var hostA = new WaitingRoomFactory(settings, clock);
        using var hostB = new WaitingRoomFactory(settings, clock);
        var room = "inv-" + Guid.NewGuid().ToString("N")[..8];
        await hostA.CreateRoomAsync(room, new { identity = "anonymous", performanceIds = new[] { Performance }, ratePerSecond = 10, fansPerAvailableSeat = 1 });
        using var a = hostA.Fan();
        using var b = hostB.Fan();
        HttpClient Host(int i) => i % 2 == 0 ? a : b;
        var controllers = new[] { hostA.Services.GetRequiredService<AdmissionController>(), hostB.Services.GetRequiredService<AdmissionController>() };

        async Task SecondAsync()
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var led = new List<bool>();
            foreach (var controller in controllers)
            {
                led.Add(await controller.RunOnceAsync(CancellationToken.None));
            }

            Assert.Single(led, true);
        }

        const int fans = 12;
        var tickets = new string[fans];
        for (var i = 0; i < fans; i++)
        {
            var join = await Json.ReadAsync(await Host(i).PostAsync($"/api/rooms/{room}/join", null));
            tickets[i] = join.GetProperty("ticket").GetString()!;
        }

        // Three seconds: each second one host leads, and the WebApi is asked once, with the service key.
        for (var second = 0; second < 3; second++)
        {
            await SecondAsync();
            var admitted = 0;
            for (var i = 0; i < fans; i++)
            {
                var status = await StatusAsync(Host(i + second), room, tickets[i]);
                admitted += status.GetProperty("state").GetString() == "admitted" ? 1 : 0;
            }

            // 10 fans a second would be served; the cap (3 seats left × 1 fan per seat) admits 3, on both hosts together.
            Assert.Equal(3, admitted);
        }

        Assert.Equal(3, inventory.Requests.Count);
        // One request for every room's performances (other tests' rooms share this Redis), with the service key.
        Assert.All(inventory.Requests, r =>
        {
            Assert.Contains("41", r.Query.Split(','));
            Assert.Equal("service-key-for-tests", r.ServiceKey);
        });
        using (var admin = hostB.Admin())
        {
            var stats = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/rooms/{room}/stats");
            Assert.Equal("inventory", stats.GetProperty("pacing").GetString());
            Assert.Equal(3, stats.GetProperty("inventoryCap").GetInt64());
            Assert.Equal(3, stats.GetProperty("active").GetInt64());
            Assert.Equal(1, stats.GetProperty("seatsHeld").GetInt64());
        }

        // A waiting fan on host B follows the event stream; its poll interval is longer than what follows.
        var watcher = fans - 1;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/events");
        request.Headers.Add("X-Queue-Ticket", tickets[watcher]);
        using var stream = await b.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal("waiting", await NextStateAsync(reader));

        // The last seats sell and the last hold is paid: nothing left, nothing can come back.
        inventory.SetSeats(Performance, available: 0, held: 0);
        await SecondAsync();

        // Within that one second: the stream says so without waiting for its next poll, and so does every status.
        Assert.Equal("soldOut", await NextStateAsync(reader));
        for (var i = 0; i < fans; i++)
        {
            var state = (await StatusAsync(Host(i), room, tickets[i])).GetProperty("state").GetString();
            Assert.Equal(i < 3 ? "admitted" : "soldOut", state);
        }

        using (var admin = hostA.Admin())
        {
            var stats = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/rooms/{room}/stats");
            Assert.True(stats.GetProperty("soldOut").GetBoolean());
            Assert.Equal("inventory", stats.GetProperty("pacing").GetString());
        }
    }

    [Fact]
    public async Task Quartz_runs_the_controller_each_second_and_opens_a_scheduled_room_at_its_time()
    {
        await using var inventory = await FakeInventoryServer.StartAsync();
        inventory.SetSeats(Performance, available: 0, held: 0);
        var clock = new ManualTimeProvider();
        using var host = new WaitingRoomFactory(
            new Dictionary<string, string?>
            {
                ["WaitingRoom:SeedDemoRoom"] = "false",
                ["WaitingRoom:Admission:ControllerEnabled"] = "true",
                ["WaitingRoom:Admission:InventoryUrl"] = inventory.BaseUrl,
            },
            clock);
        var opensAt = clock.GetUtcNow().AddSeconds(30);
        await host.CreateRoomAsync("later", new { performanceIds = new[] { Performance }, ratePerSecond = 5, opensAt });
        var store = host.Services.GetRequiredService<IQueueStore>();

        // Quartz runs on the host's clock: moving it runs the job, which reads the inventory and marks the room sold out.
        for (var i = 0; i < 500 && !(store.GetInventory("later")?.SoldOut ?? false); i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(10);
        }

        Assert.True(inventory.FirstRequest.Task.IsCompleted);

        Assert.True(store.GetInventory("later")!.SoldOut);
        Assert.Equal(RoomMode.Scheduled, store.GetRoom("later")!.Mode);

        // The opening trigger fires at opensAt and draws the pre-queue with no fan asking.
        for (var i = 0; i < 1000 && store.GetRoom("later")!.Mode == RoomMode.Scheduled; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(5);
        }

        Assert.Equal(RoomMode.Open, store.GetRoom("later")!.Mode);
    }
}
