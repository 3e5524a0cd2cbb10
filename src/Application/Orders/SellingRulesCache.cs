using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;

namespace Ticketing.Application.Orders;

/// <summary>What a hold checks about its performance: the sales window and the limits.</summary>
public sealed record SellingRules(
    DateTimeOffset SalesOpenAt,
    DateTimeOffset SalesCloseAt,
    TimeSpan HoldDuration,
    int MaxSeatsPerOrder,
    int MaxSeatsPerFan,
    bool RequiresQueuePass,
    string? WaitingRoomId);

/// <summary>
/// The selling rules of a performance, read once a second per instance instead of once per hold. An organizer's
/// change reaches this instance at once (the update forgets the entry) and every other instance within
/// <see cref="Lifetime"/>; the seat guarantees never depend on it.
/// </summary>
public interface ISellingRulesCache
{
    /// <summary>The rules, or null when the performance does not exist.</summary>
    ValueTask<SellingRules?> GetAsync(long performanceId, CancellationToken cancellationToken);

    void Invalidate(long performanceId);
}

internal sealed class SellingRulesCache(IMemoryCache cache, IServiceScopeFactory scopes) : ISellingRulesCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    public ValueTask<SellingRules?> GetAsync(long performanceId, CancellationToken cancellationToken) =>
        cache.TryGetValue(Key(performanceId), out SellingRules? rules) ? ValueTask.FromResult(rules) : new ValueTask<SellingRules?>(LoadAsync(performanceId, cancellationToken));

    public void Invalidate(long performanceId) => cache.Remove(Key(performanceId));

    private async Task<SellingRules?> LoadAsync(long performanceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var rules = await db.Performances.AsNoTracking()
            .Where(p => p.Id == performanceId)
            .Select(p => new SellingRules(p.SalesOpenAt, p.SalesCloseAt, p.HoldDuration, p.MaxSeatsPerOrder, p.MaxSeatsPerFan, p.RequiresQueuePass, p.WaitingRoomId))
            .SingleOrDefaultAsync(cancellationToken);
        if (rules is not null)
        {
            cache.Set(Key(performanceId), rules, Lifetime);
        }

        return rules;
    }

    private static (string, long) Key(long performanceId) => ("selling-rules", performanceId);
}
