namespace Ticketing.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The product as <c>scripts/run.sh</c> starts it, on free loopback ports: the WebApi on its embedded default
/// (a real SQLite file in a temp folder, in-process seat locks, simulated payments, the demo event seeded) and the
/// WaitingRoom in front of it as the fans' gateway (the demo room seeded). Shared by the tests of one collection.
/// </summary>
public sealed class TicketingStack : IAsyncLifetime
{
    public const string AdminKey = "end-to-end-admin-key-0123456789abcdef";
    public const string AdminEmail = "admin@demo.ticketing";
    public const string AdminPassword = "admin-demo-1";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ticketing-e2e-" + Guid.NewGuid().ToString("N"));
    private ServiceProcess? _api;
    private ServiceProcess? _gateway;

    /// <summary>The fans' one origin: the WaitingRoom, which proxies the booking API and pages.</summary>
    public string GatewayUrl => _gateway!.BaseUrl;

    /// <summary>The WebApi itself, as a third-party frontend calls it.</summary>
    public string ApiUrl => _api!.BaseUrl;

    public string Logs => $"--- WebApi ---\n{_api?.Log}\n--- WaitingRoom ---\n{_gateway?.Log}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var apiPort = ServiceProcess.FreePort();
        var gatewayPort = ServiceProcess.FreePort();
        var apiUrl = $"http://127.0.0.1:{apiPort}";
        var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";

        var api = ServiceProcess.StartAsync("WebApi", "Ticketing.WebApi", apiPort, new Dictionary<string, string>
        {
            ["ConnectionStrings:Ticketing"] = $"Data Source={Path.Combine(_folder, "ticketing.db")}",
            ["Database:SeedDemoData"] = "true",
            ["Database:AllowDemoAccounts"] = "true",
            ["Admin:Email"] = AdminEmail,
            ["Admin:Password"] = AdminPassword,
            ["DataProtection:KeysPath"] = Path.Combine(_folder, "webapi-keys"),
            ["AccessPasses:JwksUrl"] = gatewayUrl + "/.well-known/jwks.json",
            ["RegistrationProofOfWork:PolicyUrl"] = gatewayUrl + "/api/rooms/proof-of-work",
        });
        var gateway = ServiceProcess.StartAsync("WaitingRoom", "Ticketing.WaitingRoom", gatewayPort, new Dictionary<string, string>
        {
            ["WaitingRoom:KeyDirectory"] = Path.Combine(_folder, "waitingroom-keys"),
            ["WaitingRoom:AdminKey"] = AdminKey,
            ["Gateway:Destinations:0"] = apiUrl,
            ["WaitingRoom:FanIdentity:JwksUrl"] = apiUrl + "/.well-known/fan-identity/jwks.json",
        });
        try
        {
            _api = await api;
        }
        finally
        {
            _gateway = await gateway;
        }
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing after the kill; the temp folder is the system's to clean.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<TicketingStack>
{
    public const string Name = "the running product";
}
