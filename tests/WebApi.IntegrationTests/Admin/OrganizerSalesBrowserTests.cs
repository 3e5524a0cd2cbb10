using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.WaitingRoom.Tests.Infrastructure;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Admin;

/// <summary>
/// The organizer's sales page in headless Debian chromium (npm playwright-core, no browser download), on a real
/// loopback Kestrel with the demo data: a fan's account is turned away with a clear message; the demo organizer logs
/// in, and a hold and then a payment a fan makes through the API while the page is open show up on it. Phone and
/// desktop screenshots in Korean and English are saved under the test's output.
/// </summary>
public sealed class OrganizerSalesBrowserTests
{
    [Fact]
    public async Task The_organizer_sees_a_hold_and_then_a_sale_appear_while_the_page_is_open()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "apt-get install -y chromium");
        await Node.EnsurePackagesAsync();
        using var api = new BookingApiFactory();
        api.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        api.StartServer();
        var baseUrl = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        var (code, output) = await Node.RunAsync(
            "node",
            ["organizer-sales.mjs"],
            TimeSpan.FromSeconds(180),
            new Dictionary<string, string>
            {
                ["BASE_URL"] = baseUrl,
                ["ORGANIZER_EMAIL"] = DemoData.OrganizerEmail,
                ["ORGANIZER_PASSWORD"] = DemoData.OrganizerPassword,
                ["PERFORMANCE_ID"] = "1",
                ["OUT_DIR"] = outDir,
                ["CHROMIUM"] = "/usr/bin/chromium",
            });
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? output;
        using var doc = JsonDocument.Parse(line);
        var result = doc.RootElement;
        Assert.True(code == 0 && result.GetProperty("ok").GetBoolean(), output);

        foreach (var run in new[] { "phone-ko", "phone-en", "desktop-ko", "desktop-en" })
        {
            var seen = result.GetProperty("runs").GetProperty(run);
            var lang = run[^2..];
            Assert.Contains(lang == "ko" ? "주최자 계정으로 로그인하세요" : "log in with an organizer account", seen.GetProperty("fanError").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("fanTokenKept").ValueKind);
            var before = seen.GetProperty("before");
            Assert.Equal(before.GetProperty("held").GetInt32() + 2, seen.GetProperty("heldAfterHold").GetInt32());
            Assert.Equal(before.GetProperty("available").GetInt32() - 2, seen.GetProperty("availableAfterHold").GetInt32());
            Assert.Equal("paid", seen.GetProperty("paidStatus").GetString());
            Assert.Equal(before.GetProperty("sold").GetInt32() + 2, seen.GetProperty("soldAfterPay").GetInt32());
            Assert.Equal(["VIP", "R", "S", "A"], seen.GetProperty("gradeRows").EnumerateArray().Select(g => g.GetString()));
            Assert.False(seen.GetProperty("overflow").GetBoolean(), $"{run}: the page is wider than the window");
            Assert.Equal(DemoData.EventTitle, seen.GetProperty("title").GetString());
            foreach (var name in new[] { $"organizer-{run}", $"organizer-login-{run}" })
            {
                Assert.True(new FileInfo(Path.Combine(outDir, name + ".png")).Length > 10_000, $"{name}.png looks empty");
            }
        }
    }
}
