using System.Net;

namespace Ticketing.Telemetry;

/// <summary>
/// Who may read <c>/metrics</c>: loopback clients and the configured networks. The answer to anyone else is the
/// 404 of an unknown route, so the endpoint's existence is not advertised either.
/// </summary>
internal sealed class MetricsAccess
{
    public const string Path = "/metrics";

    private readonly System.Net.IPNetwork[] _allowed;

    public MetricsAccess(IEnumerable<string> allowedNetworks)
    {
        var list = new List<System.Net.IPNetwork>();
        foreach (var text in allowedNetworks)
        {
            if (!System.Net.IPNetwork.TryParse(text.Trim(), out var network))
            {
                throw new InvalidOperationException($"Telemetry:Prometheus:AllowedNetworks has '{text}', which is not a network in CIDR notation (e.g. 10.0.0.0/8).");
            }

            list.Add(network);
        }

        _allowed = [.. list];
    }

    public bool Allows(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        foreach (var network in _allowed)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Middleware: a refused scrape ends as a bare 404, which the status-code pages turn into ProblemDetails.</summary>
    public async Task FilterAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase) && !Allows(http.Connection.RemoteIpAddress))
        {
            http.SetEndpoint(null);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await next(http);
    }
}
