using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Ticketing.Application.Catalog;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>The WebApi's recent health; only for a caller with the service key.</summary>
public sealed record ServiceHealthDto(int WindowSeconds, long Requests, double P99Ms, double ErrorRate);

/// <summary>Seats left per performance (what the public seat maps show, counted) and, for the waiting room, this instance's health.</summary>
public sealed record InventoryReportDto(DateTimeOffset AsOf, IReadOnlyList<PerformanceInventory> Performances, ServiceHealthDto? Health);

/// <summary>
/// <c>GET /api/inventory?performanceIds=2,3</c>: the waiting room's admission controller reads it every second.
/// Cheap: the counts are cached per set of performances for <c>Inventory:CacheMilliseconds</c> (500 ms), so any number
/// of WaitingRoom instances or callers cost at most two aggregate queries per performance per second.
/// Authorization: the counts are open to anyone, as every published performance's seat map already shows each seat's
/// status to anonymous callers (unpublished performances are left out, as their maps are not found); the health
/// figures (p99, error rate) are given only with the <c>X-Service-Key</c> header equal to <c>Inventory:ServiceKey</c>
/// (compared in constant time), and never when no key is configured.
/// </summary>
internal static class InventoryEndpoints
{
    public const string ServiceKeyHeader = "X-Service-Key";

    public static IEndpointRouteBuilder MapInventoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/inventory", GetInventory).WithTags("Catalog").AllowAnonymous()
            .WithSummary("Seats available and held per published performance; with the service key, also this instance's p99 and error rate.")
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<Results<Ok<InventoryReportDto>, ProblemHttpResult, ValidationProblem>> GetInventory(
        HttpContext context,
        IMediator mediator,
        IMemoryCache cache,
        IConfiguration configuration,
        RequestHealthWindow health,
        TimeProvider clock,
        CancellationToken cancellationToken,
        string? performanceIds = null)
    {
        if (!TryParseIds(performanceIds, out var ids))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["performanceIds"] = [$"Give 1 to {GetInventoryHandler.MaxPerformances} positive performance ids, comma-separated."] },
                title: "The inventory request is not valid.",
                extensions: new Dictionary<string, object?> { ["code"] = "inventory.invalid_ids" });
        }

        var key = ("inventory", string.Join(',', ids));
        if (!cache.TryGetValue(key, out CachedCounts? counts))
        {
            var result = await mediator.Send(new GetInventory(ids), cancellationToken);
            if (!result.IsSuccess)
            {
                return result.Error!.ToProblem(context);
            }

            counts = new CachedCounts(clock.GetUtcNow(), result.Value);
            var ms = configuration.GetValue("Inventory:CacheMilliseconds", 500);
            if (ms > 0)
            {
                cache.Set(key, counts, TimeSpan.FromMilliseconds(ms));
            }
        }

        ServiceHealthDto? healthBody = null;
        if (HasServiceKey(context, configuration["Inventory:ServiceKey"]))
        {
            var (requests, p99, errorRate) = health.Read();
            healthBody = new ServiceHealthDto(RequestHealthWindow.WindowSeconds, requests, p99, errorRate);
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new InventoryReportDto(counts!.AsOf, counts.Performances, healthBody));
    }

    private static bool HasServiceKey(HttpContext context, string? expected)
    {
        var given = context.Request.Headers[ServiceKeyHeader];
        if (string.IsNullOrEmpty(expected) || given.Count == 0 || string.IsNullOrEmpty(given[0]))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given[0]!)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    private static bool TryParseIds(string? text, out long[] ids)
    {
        ids = [];
        if (string.IsNullOrWhiteSpace(text) || text.Length > 2000)
        {
            return false;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > GetInventoryHandler.MaxPerformances)
        {
            return false;
        }

        var set = new SortedSet<long>();
        foreach (var part in parts)
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return false;
            }

            set.Add(id);
        }

        ids = [.. set];
        return true;
    }

    private sealed record CachedCounts(DateTimeOffset AsOf, IReadOnlyList<PerformanceInventory> Performances);
}
