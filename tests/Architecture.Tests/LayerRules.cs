namespace Ticketing.Architecture.Tests;

/// <summary>
/// The dependency rule as a table: for each top-level folder under <c>src</c>, the layers its projects must not
/// reference. A project in a folder without a row fails, so a new service cannot slip past the rule.
/// </summary>
internal static class LayerRules
{
    public const string Domain = "Domain";
    public const string Application = "Application";
    public const string Infrastructure = "Infrastructure";
    public const string WebApi = "WebApi";
    public const string WaitingRoom = "WaitingRoom";

    /// <summary>Every layer of ours, in dependency order; assemblies are named <c>Ticketing.{Layer}</c>.</summary>
    public static readonly string[] Layers = [Domain, Application, Infrastructure, WebApi, WaitingRoom];

    public static readonly IReadOnlyDictionary<string, LayerRule> ByFolder = new Dictionary<string, LayerRule>(StringComparer.Ordinal)
    {
        [Domain] = new(Forbidden: [Application, Infrastructure, WebApi, WaitingRoom], AllowsPackages: false),
        [Application] = new(Forbidden: [Infrastructure, WebApi, WaitingRoom], AllowsPackages: true),
        [Infrastructure] = new(Forbidden: [WebApi, WaitingRoom], AllowsPackages: true),
        // The booking API checks passes with the WaitingRoom's public key only: no code is shared at run time.
        [WebApi] = new(Forbidden: [WaitingRoom], AllowsPackages: true),
        [WaitingRoom] = new(Forbidden: [Domain, Application, Infrastructure, WebApi], AllowsPackages: true),
    };

    /// <summary>The layer an assembly name belongs to (<c>Ticketing.WaitingRoom.Core</c> → WaitingRoom), or null when it is not ours.</summary>
    public static string? LayerOfAssembly(string assemblyName) =>
        Layers.FirstOrDefault(layer =>
            assemblyName.Equals("Ticketing." + layer, StringComparison.Ordinal)
            || assemblyName.StartsWith("Ticketing." + layer + ".", StringComparison.Ordinal));
}

internal sealed record LayerRule(IReadOnlyList<string> Forbidden, bool AllowsPackages);
