using Microsoft.Extensions.Options;

namespace Ticketing.WaitingRoom.Gateway;

/// <summary>Settings under <c>Gateway</c>: where the WaitingRoom proxies everything it does not serve itself.</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";
    public const string DefaultDestination = "http://localhost:5000";

    /// <summary>WebApi instances (absolute http or https URLs). Empty: <see cref="DefaultDestination"/>.</summary>
    /// <remarks>Starts empty because the configuration binder appends to a list's existing items.</remarks>
    public List<string> Destinations { get; set; } = [];

    /// <summary><c>RoundRobin</c> (default) or <c>PowerOfTwoChoices</c> (the less busy of two random instances).</summary>
    public string LoadBalancing { get; set; } = "RoundRobin";

    /// <summary>Path each instance answers cheaply when alive; probed every <see cref="HealthCheckIntervalSeconds"/>.</summary>
    public string HealthCheckPath { get; set; } = "/health";

    public int HealthCheckIntervalSeconds { get; set; } = 10;

    /// <summary>How often the map from paced performance to room is read again from the store (changes made on other instances).</summary>
    public int RoomRefreshSeconds { get; set; } = 2;

    public IReadOnlyList<string> EffectiveDestinations() => Destinations.Count == 0 ? [DefaultDestination] : Destinations;
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        foreach (var destination in options.EffectiveDestinations())
        {
            if (!Uri.TryCreate(destination, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"Gateway:Destinations must be absolute http(s) URLs; '{destination}' is not.");
            }
        }

        if (options.LoadBalancing is not ("RoundRobin" or "PowerOfTwoChoices"))
        {
            failures.Add("Gateway:LoadBalancing must be RoundRobin or PowerOfTwoChoices.");
        }

        if (string.IsNullOrWhiteSpace(options.HealthCheckPath) || options.HealthCheckPath[0] != '/')
        {
            failures.Add("Gateway:HealthCheckPath must start with '/'.");
        }

        if (options.HealthCheckIntervalSeconds is < 1 or > 300)
        {
            failures.Add("Gateway:HealthCheckIntervalSeconds must be between 1 and 300.");
        }

        if (options.RoomRefreshSeconds is < 1 or > 300)
        {
            failures.Add("Gateway:RoomRefreshSeconds must be between 1 and 300.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
