using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>The endpoints the app actually maps, read from routing, so a new endpoint cannot go untested in the OpenAPI check.</summary>
internal static partial class EndpointInventory
{
    public static List<string> ApiEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api", StringComparison.Ordinal) || raw.StartsWith("/health", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Constraint().Replace(e.RoutePattern.RawText!, "}")}"))
            .Distinct()
            .ToList();

    [GeneratedRegex(":[a-z]+}")]
    private static partial Regex Constraint();
}
