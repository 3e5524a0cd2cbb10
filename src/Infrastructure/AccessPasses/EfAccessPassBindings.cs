using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.AccessPasses;

/// <summary>The bindings table through the context's own save (so SQLite's write gate orders it with every other writer).</summary>
internal sealed class EfAccessPassBindings(AppDbContext db) : IAccessPassBindings
{
    public async Task<int> DeleteExpiredAsync(DateTimeOffset expiredBefore, int batchSize, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var batch = await db.Set<AccessPassBinding>()
            .Where(b => b.ExpiresAt < expiredBefore)
            .OrderBy(b => b.ExpiresAt)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        db.RemoveRange(batch);
        await db.SaveChangesAsync(cancellationToken);
        return batch.Count;
    }
}
