using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.IntegrationTests.Support;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.WebApi.IntegrationTests.Holds;

/// <summary>
/// The WebApi over a real SQLite file, with the demo data, a clock the test moves, and seat locks in process
/// or in a real Redis. Several factories may share one database folder (two instances, or a restart).
/// </summary>
public sealed class BookingApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsFolder;
    private readonly List<Action<IServiceCollection>> _services = [];

    public BookingApiFactory(string? redisConnectionString = null, string? folder = null, ManualTimeProvider? clock = null, bool jobs = false, string? keyPrefix = null)
    {
        _ownsFolder = folder is null;
        Folder = folder ?? Directory.CreateTempSubdirectory("ticketing-api-").FullName;
        Clock = clock ?? new ManualTimeProvider(DateTimeOffset.UtcNow);
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ticketing"] = $"Data Source={Path.Combine(Folder, "ticketing.db")}",
            ["Database:SeedDemoData"] = "true",
            ["Database:AllowDemoAccounts"] = "true",

            // Not Development ("Testing"): the production start-up checks apply, so the demo provider is chosen on
            // purpose and the ticket key comes from configuration.
            ["Payments:AllowSimulated"] = "true",
            ["Tickets:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["FanIdentity:PrivateKeyPem"] = TicketingApiFactory.NewFanIdentityKeyPem(),
            ["Admin:Email"] = "admin@test.ticketing",
            ["Admin:Password"] = "admin-test-1",
            ["DataProtection:KeysPath"] = Path.Combine(Folder, "keys"),
            ["RateLimits:AuthPerMinute"] = "100000",
            ["RateLimits:LoginBurstPerAccount"] = "100000",
            ["RateLimits:ConfirmBurst"] = "100000",
            ["RateLimits:HoldBurst"] = "100000",
            ["RateLimits:HoldsPerMinute"] = "1000000",
            ["Jobs:Enabled"] = jobs ? "true" : "false",
            ["SeatMap:CacheMilliseconds"] = "0",
            ["SeatLocks:Store"] = redisConnectionString is null ? "InProcess" : "Redis",
            ["SeatLocks:KeyPrefix"] = keyPrefix ?? $"t{Guid.NewGuid():N}:",
            ["ConnectionStrings:Redis"] = redisConnectionString,

            // The crowd tests send hundreds of holds at once on a shared 2-core machine that also runs the other
            // test projects: a second of scheduling delay is not an outage there. A stopped Redis still fails fast
            // (the socket closes), which is what the outage test checks.
            ["SeatLocks:OperationTimeout"] = "00:00:05",
        };
    }

    public string Folder { get; }

    public ManualTimeProvider Clock { get; }

    private string _environment = "Testing";

    /// <summary>Runs the host in another environment (Development keeps the embedded defaults, e.g. generated keys).</summary>
    public BookingApiFactory InEnvironment(string name)
    {
        _environment = name;
        return this;
    }

    public BookingApiFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Adds test services (e.g. an EF Core interceptor registered as <c>IInterceptor</c>).</summary>
    public BookingApiFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    public async Task<HttpClient> FanAsync(string? email = null)
    {
        email ??= $"fan-{Guid.NewGuid():N}@test.ticketing";
        var client = CreateClient();
        var register = await client.PostAsJsonAsync("/api/accounts/register", new { email, password = "fan-password-1" });
        if (register.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            register.EnsureSuccessStatusCode();
        }

        return await LogInAsync(client, email, "fan-password-1");
    }

    public Task<HttpClient> OrganizerAsync() => LogInAsync(CreateClient(), DemoData.OrganizerEmail, DemoData.OrganizerPassword);

    public static async Task<HttpClient> LogInAsync(HttpClient client, string email, string password)
    {
        var login = await client.PostAsJsonAsync("/api/accounts/login", new { email, password });
        login.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // No waiting room runs beside these tests; registration is a step here, not the subject (settings may override).
        builder.UseSetting("RegistrationProofOfWork:Mode", "Off");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.RemoveAll<IPasswordHasher>();
            services.AddSingleton<IPasswordHasher, FastPasswordHasher>();
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsFolder && Directory.Exists(Folder))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Folder, recursive: true);
        }
    }
}
