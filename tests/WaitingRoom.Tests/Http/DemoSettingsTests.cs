using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>
/// Outside Development the WaitingRoom refuses to start on demo-only settings (generated keys, the seeded demo room),
/// each refusal naming its setting; Development starts on the embedded defaults and never logs the admin key.
/// </summary>
public sealed class DemoSettingsTests
{
    [Theory]
    [InlineData("WaitingRoom:AdminKey")]
    [InlineData("WaitingRoom:TicketKey")]
    [InlineData("WaitingRoom:Signing:PrivateKeyPem")]
    public void Production_refuses_a_generated_key_and_names_its_setting(string missing)
    {
        var settings = SafeProductionSettings();
        settings[missing] = string.Empty;
        using var app = new WaitingRoomFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains($"{missing} is not set", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_the_seeded_demo_room_and_names_its_setting()
    {
        var settings = SafeProductionSettings();
        settings.Remove("WaitingRoom:SeedDemoRoom");
        using var app = new WaitingRoomFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("WaitingRoom:SeedDemoRoom is true", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_starts_with_its_keys_configured_and_no_demo_room()
    {
        using var app = new WaitingRoomFactory(SafeProductionSettings());
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        using var admin = app.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/rooms")).StatusCode);
        Assert.DoesNotContain("\"demo\"", await (await admin.GetAsync("/api/admin/rooms")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_starts_on_the_defaults_and_logs_where_the_admin_key_is_never_the_key()
    {
        var keyDirectory = Directory.CreateTempSubdirectory("wr-dev-keys-").FullName;
        var logs = new CapturingLoggerProvider();
        try
        {
            using var factory = new WaitingRoomFactory(new() { ["environment"] = "Development", ["WaitingRoom:AdminKey"] = string.Empty }, keyDirectory: keyDirectory);
            using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs)));
            using var client = app.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

            var key = (await File.ReadAllTextAsync(Path.Combine(keyDirectory, "admin-key.txt"))).Trim();
            client.DefaultRequestHeaders.Add("X-Admin-Key", key);
            var rooms = await client.GetStringAsync("/api/admin/rooms");
            Assert.Contains("\"demo\"", rooms, StringComparison.Ordinal);
            Assert.Contains(logs.Lines, l => l.Contains("admin-key.txt", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(keyDirectory, recursive: true);
        }
    }

    [Fact]
    public void The_run_script_never_prints_the_admin_key()
    {
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts", "run.sh"));

        Assert.DoesNotContain("cat src/WaitingRoom/data/keys/admin-key.txt", script, StringComparison.Ordinal);
        Assert.DoesNotContain("$(cat", script, StringComparison.Ordinal);
        Assert.Contains("src/WaitingRoom/data/keys/admin-key.txt", script, StringComparison.Ordinal);
    }

    /// <summary>What an operator sets in production: every key from configuration, no demo room.</summary>
    private static Dictionary<string, string?> SafeProductionSettings()
    {
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["WaitingRoom:AdminKey"] = WaitingRoomFactory.AdminKey,
            ["WaitingRoom:TicketKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["WaitingRoom:Signing:PrivateKeyPem"] = signing.ExportPkcs8PrivateKeyPem(),
            ["WaitingRoom:SeedDemoRoom"] = "false",
        };
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}
