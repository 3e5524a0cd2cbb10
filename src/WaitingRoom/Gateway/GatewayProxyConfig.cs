using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Ticketing.WaitingRoom.Gateway;

/// <summary>
/// The proxy's one route and one cluster, built from <see cref="GatewayOptions"/> when the proxy first asks (so the
/// test host's settings apply): a catch-all with the lowest precedence, so every endpoint of the WaitingRoom wins; paths
/// under the WaitingRoom's own prefixes are answered locally, never proxied (<see cref="LocalPaths"/>).
/// </summary>
internal sealed class GatewayProxyConfigProvider(IOptions<GatewayOptions> options) : IProxyConfigProvider
{
    public const string RouteId = "webapi";
    public const string ClusterId = "webapi";

    private readonly Lazy<IProxyConfig> _config = new(() => Build(options.Value));

    public IProxyConfig GetConfig() => _config.Value;

    private static GatewayProxyConfig Build(GatewayOptions options)
    {
        var route = new RouteConfig
        {
            RouteId = RouteId,
            ClusterId = ClusterId,
            Order = int.MaxValue,
            Match = new RouteMatch { Path = "/{**catch-all}" },
            Transforms =
            [
                // Set, not Append: the gateway replaces whatever a fan sent, so the WebApi (which trusts the gateway's
                // X-Forwarded-* headers) sees the address the gateway saw, never one the fan made up.
                new Dictionary<string, string> { ["X-Forwarded"] = "Set", ["For"] = "Set", ["Proto"] = "Set", ["Host"] = "Set", ["Prefix"] = "Off" },
            ],
        };

        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        var list = options.EffectiveDestinations();
        for (var i = 0; i < list.Count; i++)
        {
            destinations["webapi-" + (i + 1)] = new DestinationConfig { Address = list[i] };
        }

        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = options.LoadBalancing == "PowerOfTwoChoices" ? LoadBalancingPolicies.PowerOfTwoChoices : LoadBalancingPolicies.RoundRobin,
            Destinations = destinations,
            HealthCheck = new HealthCheckConfig
            {
                // Unhealthy instances are skipped; when none looks healthy every one is tried rather than answering 503.
                AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = TimeSpan.FromSeconds(options.HealthCheckIntervalSeconds),
                    Timeout = TimeSpan.FromSeconds(Math.Min(5, options.HealthCheckIntervalSeconds)),
                    Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                    Path = options.HealthCheckPath,
                },
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                    ReactivationPeriod = TimeSpan.FromSeconds(30),
                },
            },
        };

        return new GatewayProxyConfig([route], [cluster]);
    }

    private sealed class GatewayProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        /// <summary>The configuration never changes while the service runs.</summary>
        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
