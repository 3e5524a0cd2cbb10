using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.WaitingRoom.Tests.Infrastructure;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Admin;

/// <summary>
/// In headless Debian chromium (npm playwright-core, no browser download), on a real loopback Kestrel: an anonymous
/// visit to /hangfire lands on the admin login, the admin logs in and is sent back to the dashboard, which lists the
/// recurring jobs; phone and desktop screenshots are saved under the test's output.
/// </summary>
public sealed class JobsDashboardBrowserTests
{
    [Fact]
    public async Task The_admin_logs_in_on_the_admin_page_and_sees_the_recurring_jobs_on_the_dashboard()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "apt-get install -y chromium");
        await Node.EnsurePackagesAsync();
        using var api = new BookingApiFactory(jobs: true);
        api.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        api.StartServer();
        var baseUrl = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        var (code, output) = await Node.RunAsync(
            "node",
            ["admin-jobs.mjs"],
            TimeSpan.FromSeconds(120),
            new Dictionary<string, string>
            {
                ["BASE_URL"] = baseUrl,
                ["EMAIL"] = "admin@test.ticketing",
                ["PASSWORD"] = "admin-test-1",
                ["OUT_DIR"] = outDir,
                ["CHROMIUM"] = "/usr/bin/chromium",
            });
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? output;
        using var doc = JsonDocument.Parse(line);
        var result = doc.RootElement;
        Assert.True(code == 0 && result.GetProperty("ok").GetBoolean(), output);

        foreach (var size in new[] { "phone", "desktop" })
        {
            var run = result.GetProperty("runs").GetProperty(size);
            var login = new Uri(run.GetProperty("loginUrl").GetString()!);
            Assert.Equal("/admin", login.AbsolutePath);
            Assert.Equal("?returnUrl=%2Fhangfire", login.Query);
            Assert.Equal("/hangfire", new Uri(run.GetProperty("afterLoginUrl").GetString()!).AbsolutePath);
            var recurring = run.GetProperty("recurringText").GetString()!;
            Assert.All(
                new[] { "orders.expire", "payments.reconcile", "refunds.retry", "cleanup.idempotency-records", "cleanup.pass-bindings", "cleanup.sold-keys", "transfers.reconcile" },
                id => Assert.Contains(id, recurring, StringComparison.Ordinal));
            Assert.Equal("/hangfire", run.GetProperty("adminLink").GetString());
            foreach (var name in new[] { "hangfire-recurring-" + size, "admin-" + size })
            {
                var file = Path.Combine(outDir, name + ".png");
                Assert.True(new FileInfo(file).Length > 10_000, $"{name}.png looks empty");
            }
        }
    }
}
