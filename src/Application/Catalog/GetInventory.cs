using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;

namespace Ticketing.Application.Catalog;

/// <summary>
/// Seats left per published performance, for the waiting room's admission controller: available now, and held (in
/// orders not yet paid, which may come back when they lapse or are cancelled). Unpublished or unknown performances are
/// left out, as the public seat map does not show them either.
/// </summary>
public sealed record GetInventory(IReadOnlyList<long> PerformanceIds) : IRequest<Result<IReadOnlyList<PerformanceInventory>>>;

/// <summary>One performance's seats by state now; the same counts its public seat map shows.</summary>
public sealed record PerformanceInventory(long PerformanceId, int Seats, int Available, int Held);

public sealed class GetInventoryHandler(ISeatLayoutCache layouts, IAppDbContext db, TimeProvider clock)
    : IRequestHandler<GetInventory, Result<IReadOnlyList<PerformanceInventory>>>
{
    public const int MaxPerformances = 100;

    /// <remarks>Per performance: the cached layout's seat count and one aggregate over its live order lines (held and sold counted in SQL).</remarks>
    public async Task<Result<IReadOnlyList<PerformanceInventory>>> Handle(GetInventory request, CancellationToken cancellationToken)
    {
        if (request.PerformanceIds.Count is 0 or > MaxPerformances)
        {
            return Error.Validation("inventory.invalid_ids", $"Give between 1 and {MaxPerformances} performance ids.", new Dictionary<string, string[]> { ["performanceIds"] = [$"Give between 1 and {MaxPerformances} performance ids."] });
        }

        var now = clock.GetUtcNow();
        var list = new List<PerformanceInventory>(request.PerformanceIds.Count);
        foreach (var id in request.PerformanceIds.Distinct())
        {
            var layout = await layouts.GetAsync(id, cancellationToken);
            if (layout is not { IsPublished: true })
            {
                continue;
            }

            var taken = await SeatAvailability.LiveLines(db, id, now)
                .GroupBy(l => l.Sold)
                .Select(g => new { Sold = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            var sold = taken.Where(t => t.Sold).Sum(t => t.Count);
            var held = taken.Where(t => !t.Sold).Sum(t => t.Count);
            list.Add(new PerformanceInventory(id, layout.Count, Math.Max(0, layout.Count - sold - held), held));
        }

        return Result<IReadOnlyList<PerformanceInventory>>.Success(list);
    }
}
