using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Browser;

/// <summary>
/// The admin's waiting-room page in headless Debian chromium (npm playwright-core, no browser download), against a
/// real WaitingRoom process: a wrong key is refused with a clear message; the admin creates a room and changes its
/// rate; the admin pauses a room and a waiting fan's queue page shows the pause, then the resume. Screenshots at
/// phone and desktop widths are saved under the test's output.
/// </summary>
public sealed class WaitingRoomAdminBrowserTests
{
    private const string AdminKey = "browser-admin-key-9876543210";

    [Fact]
    public async Task The_admin_creates_a_room_changes_its_rate_and_pauses_a_room_the_fan_sees_paused()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "apt-get install -y chromium");
        await Node.EnsurePackagesAsync();
        await using var server = await WaitingRoomProcess.StartAsync(new Dictionary<string, string>
        {
            ["WaitingRoom:AdminKey"] = AdminKey,
            ["WaitingRoom:SeedDemoRoom"] = "false",
            ["WaitingRoom:Polling:MinIntervalMs"] = "200",

            // A fan twenty minutes from the front polls every 30 s by default; the test's fan checks in every second.
            ["WaitingRoom:Polling:MaxIntervalMs"] = "1000",
            ["WaitingRoom:JoinRateLimit:PermitLimit"] = "1000",
        });

        using var admin = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        // One fan a minute with twenty in line: the browser's fan waits behind them for the whole test.
        (await admin.PutAsJsonAsync("/api/admin/rooms/line", new { identity = "anonymous", performanceIds = new[] { 2L }, ratePerMinute = 1, mode = "open" })).EnsureSuccessStatusCode();
        using (var others = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) })
        {
            for (var i = 0; i < 20; i++)
            {
                (await others.PostAsync("/api/rooms/line/join", null)).EnsureSuccessStatusCode();
            }
        }

        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        var (code, output) = await Node.RunAsync(
            "node",
            ["waitingroom-admin.mjs"],
            TimeSpan.FromSeconds(180),
            new Dictionary<string, string> { ["BASE_URL"] = server.BaseUrl, ["ADMIN_KEY"] = AdminKey, ["ROOM"] = "line", ["OUT_DIR"] = outDir, ["CHROMIUM"] = "/usr/bin/chromium" });
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? output;
        using var doc = JsonDocument.Parse(line);
        var result = doc.RootElement;
        Assert.True(code == 0 && result.GetProperty("ok").GetBoolean(), output);

        var texts = result.GetProperty("texts");
        Assert.Equal("관리자 키가 올바르지 않습니다.", texts.GetProperty("wrongKey").GetString());
        Assert.Equal(JsonValueKind.Null, texts.GetProperty("keyKept").ValueKind);

        var created = result.GetProperty("created");
        Assert.Equal([7L, 8L], created.GetProperty("performanceIds").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(90, created.GetProperty("ratePerMinute").GetDouble(), 6);
        Assert.Equal(500, created.GetProperty("maxActive").GetInt32());
        Assert.Equal(240, created.GetProperty("passLifetimeSeconds").GetInt32());
        Assert.Equal("open", created.GetProperty("mode").GetString());
        Assert.Equal("account", created.GetProperty("identity").GetString());
        Assert.Equal(150, result.GetProperty("afterRate").GetProperty("ratePerMinute").GetDouble(), 6);
        Assert.Equal(string.Empty, result.GetProperty("createError").GetString());
        Assert.Equal(5, created.GetProperty("powDifficulty").GetInt32());
        Assert.Equal(12, result.GetProperty("afterPow").GetProperty("powDifficulty").GetInt32());
        Assert.Equal(150, result.GetProperty("afterPow").GetProperty("ratePerMinute").GetDouble(), 6);
        Assert.Equal(12, result.GetProperty("challengeAfterPow").GetProperty("difficulty").GetInt32());
        Assert.EndsWith("작업 증명 12비트", texts.GetProperty("powInfo").GetString(), StringComparison.Ordinal);

        // About twenty waiting at one a minute: as many minutes to clear.
        var waiting = int.Parse(texts.GetProperty("phoneWaiting").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(waiting, 18, 20);
        Assert.Equal($"{waiting}:00", texts.GetProperty("phoneClear").GetString());
        Assert.False(result.GetProperty("phoneOverflow").GetBoolean(), "the phone page is wider than the window");
        Assert.False(result.GetProperty("desktopOverflow").GetBoolean(), "the desktop page is wider than the window");

        Assert.Equal("paused", result.GetProperty("modeAfterPause").GetString());
        Assert.NotEqual("Admission is paused for a moment", texts.GetProperty("fanWaitBefore").GetString());
        Assert.Equal("Admission is paused for a moment", texts.GetProperty("fanWaitAfter").GetString());
        Assert.Equal("waiting", texts.GetProperty("fanState").GetString());
        Assert.NotEqual("Admission is paused for a moment", texts.GetProperty("fanWaitResumed").GetString());
        Assert.Equal("/hangfire", result.GetProperty("links").GetProperty("hangfire").GetString());
        Assert.Equal("/admin", result.GetProperty("links").GetProperty("webapi").GetString());
        Assert.Equal("open", (await admin.GetFromJsonAsync<JsonElement>("/api/admin/rooms/line")).GetProperty("mode").GetString());

        foreach (var name in new[] { "waitingroom-admin-login-phone-ko", "waitingroom-admin-phone-ko", "waitingroom-admin-desktop-en", "waitingroom-admin-fan-paused" })
        {
            Assert.True(new FileInfo(Path.Combine(outDir, name + ".png")).Length > 10_000, $"{name}.png looks empty");
        }
    }
}
