namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// Outside Development the WebApi refuses to start on settings that are only safe for a demo; each refusal names the
/// setting to change. Development (what <c>scripts/run.sh</c> starts) keeps the embedded defaults.
/// </summary>
public static class DemoSettingsCheck
{
    /// <summary>What is unsafe in this configuration for this environment (empty in Development).</summary>
    public static IReadOnlyList<string> Refusals(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var refusals = new List<string>();
        if (environment.IsDevelopment())
        {
            return refusals;
        }

        var provider = configuration["Payments:Provider"];
        var simulated = string.IsNullOrWhiteSpace(provider) || string.Equals(provider.Trim(), "Simulated", StringComparison.OrdinalIgnoreCase);
        if (simulated && !configuration.GetValue("Payments:AllowSimulated", false))
        {
            refusals.Add("Payments:Provider is Simulated, which confirms every payment without taking any money (it gives tickets away). "
                + "Set Payments:Provider=Toss with Payments:Toss:SecretKey, or set Payments:AllowSimulated=true if this really is a demo.");
        }

        if (string.IsNullOrWhiteSpace(configuration["Tickets:SigningKey"]))
        {
            refusals.Add("Tickets:SigningKey is not set: the key that signs the tickets' QR codes would be generated into the data folder. "
                + "Set Tickets:SigningKey (base64, at least 32 bytes) from your secret store, the same on every instance and entry scanner.");
        }

        if (string.IsNullOrWhiteSpace(configuration["FanIdentity:PrivateKeyPem"]))
        {
            refusals.Add("FanIdentity:PrivateKeyPem is not set: the key that signs fans' identities for the waiting room would be generated into "
                + "the data folder, different on every instance. Set FanIdentity:PrivateKeyPem (an EC P-256 private key in PEM) from your secret store.");
        }

        if (configuration.GetValue("Database:SeedDemoData", false) && !configuration.GetValue("Database:AllowDemoAccounts", false))
        {
            refusals.Add("Database:SeedDemoData is true: it seeds the demo event and demo accounts whose passwords are published in the README "
                + "(an organizer among them), so anyone could sign in as them. Set Database:SeedDemoData=false, or Database:AllowDemoAccounts=true "
                + "if this really is a demo.");
        }
        // --- Guest booking (issue 13.3) ---
        var sms = configuration["Sms:Provider"];
        if (string.Equals(sms?.Trim(), "Simulated", StringComparison.OrdinalIgnoreCase) && !configuration.GetValue("Sms:AllowSimulated", false))
        {
            refusals.Add("Sms:Provider is Simulated, which sends no SMS and shows every guest's verification code at GET /api/dev/sms "
                + "(anyone could book as any phone). Leave Sms:Provider unset (guest booking off), or set Sms:AllowSimulated=true if this really is a demo.");
        }
        // --- end guest booking ---

        return refusals;
    }

    /// <summary>Throws, naming every setting to change, when <see cref="Refusals"/> finds any.</summary>
    public static void EnsureSafe(IConfiguration configuration, IHostEnvironment environment)
    {
        var refusals = Refusals(configuration, environment);
        if (refusals.Count > 0)
        {
            throw new InvalidOperationException(
                $"The WebApi does not start in the {environment.EnvironmentName} environment on demo-only settings:\n- " + string.Join("\n- ", refusals));
        }
    }
}
