using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Infrastructure.AccessPasses;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Browser;

/// <summary>
/// The queue page in headless Debian chromium (driven by npm playwright-core; no browser download):
/// a phone-sized screenshot of each state in English and Korean, and a walk from joining to admission
/// and the move to the booking page with a pass (in an HttpOnly, SameSite=Strict cookie, not the URL) that verifies.
/// </summary>
public sealed class QueuePageBrowserTests
{
    private const string AdminKey = "browser-admin-key-0123456789";

    /// <summary>Low enough to keep the test fast (about 65,000 hashes expected), high enough to be real work.</summary>
    private const int PowDifficulty = 16;

    [Fact]
    public async Task Queue_page_shows_every_state_and_walks_a_fan_from_join_to_booking()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "apt-get install -y chromium");
        await Node.EnsurePackagesAsync();
        var bookingPath = "/booking-landing/{performanceId}";
        // admission (issue 12): performance 6 is sold out; the real controller (Quartz, real clock) tells room "sold".
        await using var inventory = await FakeInventoryServer.StartAsync();
        inventory.SetSeats(6, available: 0, held: 0);
        await using var server = await WaitingRoomProcess.StartAsync(new Dictionary<string, string>
        {
            ["WaitingRoom:AdminKey"] = AdminKey,
            ["WaitingRoom:SeedDemoRoom"] = "false",
            ["WaitingRoom:Polling:MinIntervalMs"] = "200",
            ["WaitingRoom:Polling:OpeningSpreadMs"] = "500",
            ["WaitingRoom:JoinRateLimit:PermitLimit"] = "1000",
            ["WaitingRoom:BookingUrl"] = bookingPath,
            ["WaitingRoom:Admission:InventoryUrl"] = inventory.BaseUrl, // admission (issue 12)
        });

        using var admin = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        var now = DateTimeOffset.UtcNow;
        (await admin.PutAsJsonAsync("/api/admin/rooms/sold", new { identity = "anonymous", performanceIds = new[] { 6L }, ratePerSecond = 1 })).EnsureSuccessStatusCode(); // admission (issue 12): first, so the controller has marked it before the page visits
        (await admin.PutAsJsonAsync("/api/admin/rooms/walk", new { identity = "anonymous", performanceIds = new[] { 1L, 2L }, ratePerSecond = 2, mode = "paused" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/admin/rooms/soon", new { identity = "anonymous", performanceIds = new[] { 3L }, ratePerMinute = 100, opensAt = now.AddHours(1) })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/admin/rooms/shut", new { identity = "anonymous", performanceIds = new[] { 4L }, ratePerSecond = 1, mode = "closed" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/admin/rooms/gone", new { identity = "anonymous", performanceIds = new[] { 5L }, ratePerSecond = 1, mode = "paused" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/admin/rooms/work", new { identity = "anonymous", performanceIds = new[] { 7L }, ratePerSecond = 1, mode = "paused", powDifficulty = PowDifficulty })).EnsureSuccessStatusCode();

        // Five fans are already in line, so the browser's fan sees people ahead.
        using (var others = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) })
        {
            for (var i = 0; i < 5; i++)
            {
                (await others.PostAsync("/api/rooms/walk/join", null)).EnsureSuccessStatusCode();
            }
        }

        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        var (code, output) = await Node.RunAsync(
            "node",
            ["queue-walk.mjs"],
            TimeSpan.FromSeconds(120),
            new Dictionary<string, string> { ["BASE_URL"] = server.BaseUrl, ["ADMIN_KEY"] = AdminKey, ["OUT_DIR"] = outDir, ["CHROMIUM"] = "/usr/bin/chromium" });
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? output;
        using var doc = JsonDocument.Parse(line);
        var result = doc.RootElement;
        Assert.True(code == 0 && result.GetProperty("ok").GetBoolean(), output);

        foreach (var name in new[] { "solving-en", "prequeue-en", "prequeue-ko", "closed-en", "closed-ko", "waiting-en", "waiting-ko", "expired-en", "admitted-en", "soldout-en", "soldout-ko" })
        {
            var file = Path.Combine(outDir, name + ".png");
            Assert.True(File.Exists(file), name);
            Assert.True(new FileInfo(file).Length > 10_000, $"{name}.png looks empty");
        }

        var texts = result.GetProperty("texts");
        Assert.Equal("5", texts.GetProperty("ahead-en").GetString());
        Assert.Equal("6", texts.GetProperty("place-en").GetString());
        Assert.Equal("You are in the waiting room", texts.GetProperty("title-en").GetString());
        Assert.Equal("대기실에 입장했습니다", texts.GetProperty("title-ko").GetString());
        Assert.Equal("아직 판매가 시작되지 않았습니다.", texts.GetProperty("prequeue-ko").GetString());
        Assert.Equal("Sold out.", texts.GetProperty("soldout-en").GetString()); // admission (issue 12)
        Assert.Equal("매진되었습니다.", texts.GetProperty("soldout-ko").GetString());
        // waitlist (issue 13.1): the sold-out page links to the waitlist of the room's performance (same origin).
        Assert.Equal("Join the cancellation waitlist", texts.GetProperty("soldout-waitlist-en").GetString());
        Assert.Equal("취소표 대기 신청", texts.GetProperty("soldout-waitlist-ko").GetString());
        Assert.Equal("/book/waitlist?room=sold", texts.GetProperty("soldout-waitlist-href-en").GetString());

        // Proof of work: solved in the page's worker at the room's difficulty, progress shown up to 100 %, one place;
        // the reload kept the place without a second challenge.
        var pow = result.GetProperty("pow");
        var powStates = pow.GetProperty("states").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.True(powStates.IndexOf("solving") >= 0 && powStates.IndexOf("solving") < powStates.IndexOf("waiting"), "pow states: " + pow);
        var solved = pow.GetProperty("last");
        Assert.Equal(PowDifficulty, solved.GetProperty("difficulty").GetInt32());
        Assert.True(solved.GetProperty("hashes").GetInt64() >= 1);
        var progress = pow.GetProperty("progress").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Equal(100, progress[^1]);
        Assert.True(progress.SequenceEqual(progress.Order()), "progress only grows: " + string.Join(",", progress));
        Assert.Equal("1", pow.GetProperty("place").GetString());
        Assert.Equal("1", pow.GetProperty("placeAfterReload").GetString());
        Assert.DoesNotContain("solving", pow.GetProperty("reloadStates").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, pow.GetProperty("reloadLast").ValueKind);
        Assert.Equal(1, pow.GetProperty("challenges").GetInt32());
        var work = await (await admin.GetAsync("/api/admin/rooms/work/stats")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, work.GetProperty("tail").GetInt64());

        var states = result.GetProperty("states").GetProperty("walk").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.True(states.Count >= 2 && states[^1] == "admitted" && states.Contains("waiting"), "walk states: " + line);
        Assert.True(states.IndexOf("waiting") < states.LastIndexOf("admitted"), "walk states: " + line);

        // Fans ahead only went down during the walk.
        var ahead = result.GetProperty("aheadSeen").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.True(ahead.Count >= 2, string.Join(",", ahead));

        var finalUrl = new Uri(result.GetProperty("finalUrl").GetString()!);
        Assert.Equal("/booking-landing/1", finalUrl.AbsolutePath);
        Assert.Empty(finalUrl.Query);
        var cookie = result.GetProperty("passCookie");
        Assert.True(cookie.GetProperty("httpOnly").GetBoolean());
        Assert.Equal("Strict", cookie.GetProperty("sameSite").GetString());
        Assert.Equal("/", cookie.GetProperty("path").GetString());
        var pass = cookie.GetProperty("value").GetString();
        var verifier = new AccessPassVerifier(new HttpClient(), new AccessPassVerifierOptions { JwksUrl = new Uri(server.BaseUrl + "/.well-known/jwks.json") }, TimeProvider.System);
        var verified = await verifier.VerifyAsync(pass, 2);
        Assert.True(verified.IsValid, verified.Error.ToString());
        Assert.Equal("walk", verified.Claims!.Room);
    }

    [Fact]
    public async Task An_account_rooms_queue_page_signs_the_fan_in_first_and_a_second_device_gets_the_same_place()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "apt-get install -y chromium");
        await Node.EnsurePackagesAsync();
        var accounts = TestAccounts.Shared;
        await using var server = await WaitingRoomProcess.StartAsync(new Dictionary<string, string>
        {
            ["WaitingRoom:AdminKey"] = AdminKey,
            ["WaitingRoom:SeedDemoRoom"] = "false",
            ["WaitingRoom:JoinRateLimit:PermitLimit"] = "1000",
            ["WaitingRoom:FanIdentity:JwksUrl"] = accounts.JwksUrl,
            ["Gateway:Destinations:0"] = accounts.BaseUrl,
        });
        using var admin = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        (await admin.PutAsJsonAsync("/api/admin/rooms/acct", new { performanceIds = new[] { 6L }, ratePerSecond = 1, mode = "paused" })).EnsureSuccessStatusCode();

        // Two other accounts are in line first.
        for (var i = 0; i < 2; i++)
        {
            using var other = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            other.DefaultRequestHeaders.Add("X-Fan-Identity", accounts.Identity(Guid.NewGuid(), DateTimeOffset.UtcNow));
            (await other.PostAsync("/api/rooms/acct/join", null)).EnsureSuccessStatusCode();
        }

        var email = $"fan-{Guid.NewGuid():N}@test.ticketing";
        var (code, output) = await Node.RunAsync(
            "node",
            ["queue-signin.mjs"],
            TimeSpan.FromSeconds(120),
            new Dictionary<string, string>
            {
                ["BASE_URL"] = server.BaseUrl,
                ["OUT_DIR"] = Path.Combine(AppContext.BaseDirectory, "screenshots"),
                ["CHROMIUM"] = "/usr/bin/chromium",
                ["EMAIL"] = email,
                ["PASSWORD"] = TestAccounts.Password,
            });
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? output;
        using var doc = JsonDocument.Parse(line);
        var result = doc.RootElement;
        Assert.True(code == 0 && result.GetProperty("ok").GetBoolean(), output);

        Assert.True(result.GetProperty("signinVisible").GetBoolean());
        Assert.Equal("3", result.GetProperty("phone").GetProperty("place").GetString());
        Assert.Equal("3", result.GetProperty("reloadPlace").GetString());
        Assert.Equal("3", result.GetProperty("laptop").GetProperty("place").GetString());
        var account = accounts.AccountOf(email);
        Assert.Equal("at-" + account.ToString("D"), result.GetProperty("phone").GetProperty("accessToken").GetString());
        Assert.Equal("rt-" + account.ToString("D"), result.GetProperty("phone").GetProperty("refreshToken").GetString());
        Assert.Equal("이메일 또는 비밀번호가 올바르지 않습니다.", result.GetProperty("wrongPassword").GetString());
        var stats = await admin.GetFromJsonAsync<JsonElement>("/api/admin/rooms/acct/stats");
        Assert.Equal(3, stats.GetProperty("tail").GetInt64());
    }
}
