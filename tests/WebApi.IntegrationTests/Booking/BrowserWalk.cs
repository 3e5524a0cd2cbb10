using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.WaitingRoom.Tests.Infrastructure;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Booking;

/// <summary>
/// What every page walk shares: the API on a real loopback Kestrel, and a node script (tests/WaitingRoom.Tests/js)
/// that drives headless Debian chromium and prints its findings as one JSON line, <c>{"ok":true,"runs":{...}}</c>.
/// </summary>
internal static class BrowserWalk
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Where the walks write their screenshots (docs/screenshots has the copies that are looked at).</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Starts the API on a loopback port of its own and answers its base URL.</summary>
    public static string StartOnLoopback(this BookingApiFactory api)
    {
        api.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        api.StartServer();
        return api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    /// <summary>
    /// Runs <paramref name="script"/> against <paramref name="baseUrl"/> with the settings given (plus the base URL,
    /// the screenshot folder and chromium), and answers the walk's JSON once it says it went through.
    /// </summary>
    public static async Task<JsonElement> RunAsync(string script, string baseUrl, IReadOnlyDictionary<string, string> settings, int timeoutSeconds = 180)
    {
        Assert.True(File.Exists(Chromium), "apt-get install -y chromium");
        await Node.EnsurePackagesAsync();
        var environment = new Dictionary<string, string>(settings)
        {
            ["BASE_URL"] = baseUrl,
            ["OUT_DIR"] = ScreenshotFolder,
            ["CHROMIUM"] = Chromium,
        };
        var (code, walk) = await Node.RunAsync("node", [script], TimeSpan.FromSeconds(timeoutSeconds), environment);
        var line = walk.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? walk;
        using var doc = JsonDocument.Parse(line);
        var result = doc.RootElement.Clone();
        Assert.True(code == 0 && result.GetProperty("ok").GetBoolean(), walk);
        return result;
    }
}
