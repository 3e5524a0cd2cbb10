namespace Ticketing.WaitingRoom;

/// <summary>
/// Outside Development the WaitingRoom refuses to start on settings that are only safe for a demo: keys generated into
/// the key folder and the seeded demo room. Each refusal names the setting to change. Development (what
/// <c>scripts/run.sh</c> starts) keeps the embedded defaults.
/// </summary>
internal static class DemoSettingsCheck
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

        var section = configuration.GetSection(WaitingRoomOptions.Section);
        if (string.IsNullOrWhiteSpace(section["AdminKey"]))
        {
            refusals.Add($"{WaitingRoomOptions.Section}:AdminKey is not set: an admin key would be generated into the key folder. "
                + $"Set {WaitingRoomOptions.Section}:AdminKey (at least 16 characters) from your secret store.");
        }

        if (string.IsNullOrWhiteSpace(section["TicketKey"]))
        {
            refusals.Add($"{WaitingRoomOptions.Section}:TicketKey is not set: the key that signs queue tickets would be generated into the key folder. "
                + $"Set {WaitingRoomOptions.Section}:TicketKey (base64, at least 32 bytes), the same on every instance.");
        }

        if (string.IsNullOrWhiteSpace(section["Signing:PrivateKeyPem"]))
        {
            refusals.Add($"{WaitingRoomOptions.Section}:Signing:PrivateKeyPem is not set: the key that signs access passes would be generated into the key folder. "
                + $"Set {WaitingRoomOptions.Section}:Signing:PrivateKeyPem (a P-256 key, PKCS#8 PEM), the same on every instance.");
        }

        if (section.GetValue("SeedDemoRoom", true))
        {
            refusals.Add($"{WaitingRoomOptions.Section}:SeedDemoRoom is true: the demo room 'demo' (performance 2, open at once) would be created. "
                + $"Set {WaitingRoomOptions.Section}:SeedDemoRoom=false and create your rooms through the admin API.");
        }

        return refusals;
    }

    /// <summary>Throws, naming every setting to change, when <see cref="Refusals"/> finds any.</summary>
    public static void EnsureSafe(IConfiguration configuration, IHostEnvironment environment)
    {
        var refusals = Refusals(configuration, environment);
        if (refusals.Count > 0)
        {
            throw new InvalidOperationException(
                $"The WaitingRoom does not start in the {environment.EnvironmentName} environment on demo-only settings:\n- " + string.Join("\n- ", refusals));
        }
    }
}
