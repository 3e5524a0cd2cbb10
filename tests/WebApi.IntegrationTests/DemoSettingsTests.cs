using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>
/// Outside Development the WebApi refuses to start on demo-only settings, each refusal naming its setting: the
/// simulated payment provider unless chosen on purpose, a generated ticket signing key. Development starts on them.
/// </summary>
public sealed class DemoSettingsTests : IDisposable
{
    private readonly List<TicketingApiFactory> _factories = [];

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            try
            {
                factory.Dispose();
            }
            catch (InvalidOperationException)
            {
                // A host that refused to start has nothing to stop.
            }
        }
    }

    [Fact]
    public void Production_refuses_the_simulated_provider_unless_allowed_on_purpose()
    {
        using var app = Started("Production", ("Payments:AllowSimulated", "false"));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString();

        Assert.Contains("Payments:Provider is Simulated", error, StringComparison.Ordinal);
        Assert.Contains("Payments:AllowSimulated=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_a_generated_ticket_signing_key()
    {
        using var app = Started("Production", ("Tickets:SigningKey", string.Empty));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString();

        Assert.Contains("Tickets:SigningKey is not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_a_generated_fan_identity_key()
    {
        using var app = Started("Production", ("FanIdentity:PrivateKeyPem", string.Empty));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString();

        Assert.Contains("FanIdentity:PrivateKeyPem is not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_the_demo_accounts_unless_allowed_on_purpose()
    {
        using var app = Started("Production", ("Database:AllowDemoAccounts", "false"));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString();

        Assert.Contains("Database:SeedDemoData is true", error, StringComparison.Ordinal);
        Assert.Contains("Database:AllowDemoAccounts=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_starts_with_the_real_provider_and_a_configured_key()
    {
        using var app = Started("Production",
            ("Payments:AllowSimulated", "false"),
            ("Payments:Provider", "Toss"),
            ("Payments:Toss:SecretKey", "test_sk_demo_settings_check"),
            ("Payments:Toss:BaseUrl", "http://127.0.0.1:9"),
            ("Database:SeedDemoData", "false"),
            ("Database:AllowDemoAccounts", "false"));
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        // The simulated provider's pages and checkout do not exist with the real one.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/payments/simulated/window")).StatusCode);
    }

    [Fact]
    public async Task Development_starts_on_the_embedded_defaults()
    {
        using var app = Started("Development", ("Payments:AllowSimulated", "false"), ("Tickets:SigningKey", string.Empty));
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    private TicketingApiFactory Started(string environment, params (string Key, string Value)[] settings)
    {
        var factory = new InEnvironment(environment, settings);
        _factories.Add(factory);
        return factory;
    }

    /// <summary>The test API in another environment with some settings changed (on real Kestrel, like the others).</summary>
    private sealed class InEnvironment(string environment, (string Key, string Value)[] settings) : TicketingApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
