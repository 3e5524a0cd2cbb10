using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are honoured only from the proxies named in
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), by default
/// loopback only (the WaitingRoom gateway on the same host). So the per-address rate limits see the fan's address
/// behind the gateway, and nobody else can pick an address by sending the header.
/// </summary>
internal static class TrustedProxies
{
    public const string Section = "ForwardedHeaders";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = Read(configuration, "KnownProxies", ["127.0.0.1", "::1"], static (value, key) =>
            IPAddress.TryParse(value, out var address) ? address : throw new InvalidOperationException($"{Section}:{key}: '{value}' is not an IP address."));
        var networks = Read(configuration, "KnownNetworks", ["127.0.0.0/8", "::1/128"], static (value, key) =>
            System.Net.IPNetwork.TryParse(value, out var network) ? network : throw new InvalidOperationException($"{Section}:{key}: '{value}' is not a CIDR network (e.g. 10.0.0.0/8)."));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }

            // The gateway sets (never appends) X-Forwarded-For, so one hop is all there is to read.
            o.ForwardLimit = 1;
        });
        return services;
    }

    private static List<T> Read<T>(IConfiguration configuration, string key, string[] defaults, Func<string, string, T> parse)
    {
        var section = configuration.GetSection(Section).GetSection(key);
        var values = section.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        if (values.Count == 0 && !string.IsNullOrWhiteSpace(section.Value))
        {
            // A single value, or a comma-separated list from one environment variable.
            values = section.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        if (values.Count == 0 && !section.Exists())
        {
            values = [.. defaults];
        }

        return values.ConvertAll(v => parse(v, key));
    }
}
