using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>
/// The WebApi on real Kestrel (so body-size limits and compression behave as in production) over a fresh SQLite file
/// and key ring in a temporary folder of its own, with the demo data seeded and an admin from configuration.
/// </summary>
public class TicketingApiFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@tests.ticketing";
    public const string AdminPassword = "admin-tests-1";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ticketing-webapi-tests-" + Guid.NewGuid().ToString("N"));

    public TicketingApiFactory()
    {
        Directory.CreateDirectory(_folder);
        UseKestrel(0);
    }

    /// <summary>Login, register and refresh requests allowed per minute and client address.</summary>
    protected virtual int AuthPerMinute => 100_000;

    /// <summary>
    /// <c>RegistrationProofOfWork:Mode</c>. Off for the tests that register accounts as a step (no waiting room runs
    /// beside them); the proof-of-work tests choose their own.
    /// </summary>
    protected virtual string RegistrationProofOfWorkMode => "Off";

    /// <summary><c>SeatMap:CacheMilliseconds</c>, or null for the configured default.</summary>
    protected virtual int? SeatMapCacheMilliseconds => null;

    /// <summary>A ticket signing key of this API's own (outside Development it must come from configuration).</summary>
    public string TicketSigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public string DatabasePath => Path.Combine(_folder, "ticketing.db");

    /// <summary>Bearer tokens of the shared accounts, made once per API: password hashing dominates a login.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<string>>> SharedTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>A client that fails the test on any 5xx answer: no input may make the API fault.</summary>
    public HttpClient CreateApiClient(string? bearerToken = null)
    {
        var client = CreateDefaultClient(new NoServerErrorsHandler());
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    /// <summary>The fan identity's signing key, configured as production must (one per test server).</summary>
    private static string FanIdentityKeyPem { get; } = NewFanIdentityKeyPem();

    internal static string NewFanIdentityKeyPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: the tests meet the production start-up checks, and opt into the demo provider on purpose.
        builder.UseEnvironment("Testing");
        builder.UseSetting("Payments:AllowSimulated", "true");
        builder.UseSetting("Tickets:SigningKey", TicketSigningKey);
        builder.UseSetting("FanIdentity:PrivateKeyPem", FanIdentityKeyPem);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Ticketing", $"Data Source={DatabasePath}");
        builder.UseSetting("Database:SeedDemoData", "true");
        builder.UseSetting("Database:AllowDemoAccounts", "true");
        builder.UseSetting("Admin:Email", AdminEmail);
        builder.UseSetting("Admin:Password", AdminPassword);
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(_folder, "keys"));
        builder.UseSetting("RateLimits:AuthPerMinute", AuthPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:LoginBurstPerAccount", "100000");
        builder.UseSetting("RegistrationProofOfWork:Mode", RegistrationProofOfWorkMode);
        builder.UseSetting("RateLimits:ConfirmBurst", "100000");
        // These catalog tests need no background jobs.
        builder.UseSetting("Jobs:Enabled", "false");
        if (SeatMapCacheMilliseconds is { } cacheMilliseconds)
        {
            builder.UseSetting("SeatMap:CacheMilliseconds", cacheMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            DeleteFolder();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteFolder();
        GC.SuppressFinalize(this);
    }

    private void DeleteFolder()
    {
        // Pooled connections keep the SQLite file open; release them so the folder can go.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private sealed class NoServerErrorsHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode >= 500)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                Assert.Fail($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}");
            }

            return response;
        }
    }
}

/// <summary>One API for the tests that can share it; each test makes its own accounts and events.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<TicketingApiFactory>
{
    public const string Name = "api";
}
