using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.WaitingRoom.Tests.Infrastructure;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Booking;

/// <summary>
/// The booking page's registration when registration asks for proof of work: refused once (pow.required), then solved
/// in a worker with progress shown, registered, and on to the performance it came for.
/// </summary>
public sealed class RegistrationProofOfWorkBrowserTests
{
    [Fact]
    public async Task The_registration_form_solves_the_challenge_and_registers()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "apt-get install -y chromium");
        await Node.EnsurePackagesAsync();
        using var api = new BookingApiFactory()
            .With("RegistrationProofOfWork:Mode", "Always")
            .With("RegistrationProofOfWork:Difficulty", "14");
        api.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        api.StartServer();
        var baseUrl = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var (code, output) = await Node.RunAsync(
            "node",
            ["register-pow.mjs"],
            TimeSpan.FromSeconds(120),
            new Dictionary<string, string> { ["BASE_URL"] = baseUrl, ["CHROMIUM"] = "/usr/bin/chromium" });
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? output;
        using var doc = JsonDocument.Parse(line);
        var result = doc.RootElement;
        Assert.True(code == 0 && result.GetProperty("ok").GetBoolean(), output);
        Assert.False(result.TryGetProperty("pageErrors", out var errors), errors.ToString());
        Assert.Equal([403, 201], result.GetProperty("registerStatuses").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(1, result.GetProperty("challenges").GetInt32());
        var messages = result.GetProperty("messages").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(messages, m => m.StartsWith("Checking this browser", StringComparison.Ordinal));
        Assert.Contains("Checking this browser before it registers… 100%", messages);

        using var fan = await BookingApiFactory.LogInAsync(api.CreateClient(), result.GetProperty("email").GetString()!, "fan-password-1");
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync("/api/me")).StatusCode);
    }
}
