using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.WaitingRoom.Queue;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>A WaitingRoom host with a manual clock, seeded randomness, fixed keys in a temp folder and test settings.</summary>
internal sealed class WaitingRoomFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string BookingUrl = "https://booking.test/performances/{performanceId}";

    private readonly string _keyDirectory;
    private readonly Dictionary<string, string?> _settings;

    /// <param name="kestrel">Serve on a real loopback port (the gateway tests need real HTTP and a client address).</param>
    public WaitingRoomFactory(Dictionary<string, string?>? settings = null, ManualTimeProvider? clock = null, string? keyDirectory = null, bool kestrel = false)
    {
        if (kestrel)
        {
            UseKestrel(0);
        }

        Clock = clock ?? new ManualTimeProvider();
        _keyDirectory = keyDirectory ?? Path.Combine(Path.GetTempPath(), "wr-tests-" + Guid.NewGuid().ToString("N"));
        OwnsKeyDirectory = keyDirectory is null;
        _settings = settings ?? [];
    }

    public ManualTimeProvider Clock { get; }

    private bool OwnsKeyDirectory { get; }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        return client;
    }

    /// <summary>A client that does not keep cookies, so each one is a separate fan unless it sends a ticket.</summary>
    public HttpClient Fan() => CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

    /// <summary>A device of a signed-in fan: a client without cookies that sends a fresh fan identity for the account.</summary>
    public HttpClient SignedInFan(Guid account)
    {
        var client = Fan();
        client.DefaultRequestHeaders.Add("X-Fan-Identity", TestAccounts.Shared.Identity(account, Clock.GetUtcNow()));
        return client;
    }

    public async Task CreateRoomAsync(string id, object body)
    {
        using var admin = Admin();
        var response = await admin.PutAsJsonAsync($"/api/admin/rooms/{id}", body);
        response.EnsureSuccessStatusCode();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("WaitingRoom:AdminKey", AdminKey);
        builder.UseSetting("WaitingRoom:KeyDirectory", _keyDirectory);
        builder.UseSetting("WaitingRoom:BookingUrl", BookingUrl);
        builder.UseSetting("WaitingRoom:JoinRateLimit:PermitLimit", "100000");
        builder.UseSetting("WaitingRoom:FanIdentity:JwksUrl", TestAccounts.Shared.JwksUrl);
        // admission (issue 12): tests run the controller's second themselves unless they turn Quartz's job on.
        builder.UseSetting("WaitingRoom:Admission:ControllerEnabled", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<RandomSource>(new SeededRandomSource(1));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && OwnsKeyDirectory && Directory.Exists(_keyDirectory))
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }
    }
}
