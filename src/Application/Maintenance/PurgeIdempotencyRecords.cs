using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;

namespace Ticketing.Application.Maintenance;

/// <summary>
/// Deletes the <c>Idempotency-Key</c> records created before <paramref name="Retention"/> ago. A client retries a
/// request within seconds or minutes; a key older than the retention can no longer be a retry that matters (the
/// order's own state still refuses a second payment or cancellation), and without this the table grows forever.
/// </summary>
public sealed record PurgeIdempotencyRecords(TimeSpan Retention, int BatchSize = PurgeIdempotencyRecords.DefaultBatchSize) : IRequest<int>
{
    public const int DefaultBatchSize = 500;
}

public sealed class PurgeIdempotencyRecordsHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<PurgeIdempotencyRecords, int>
{
    public async Task<int> Handle(PurgeIdempotencyRecords request, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - request.Retention;
        var deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // In batches through the context's save, so that on SQLite each batch queues on the file's write gate
            // like every other writer instead of holding the lock for one long delete.
            db.ChangeTracker.Clear();
            var batch = await db.IdempotencyRecords
                .Where(r => r.CreatedAt < cutoff)
                .OrderBy(r => r.CreatedAt)
                .Take(request.BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            db.IdempotencyRecords.RemoveRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            deleted += batch.Count;
            if (batch.Count < request.BatchSize)
            {
                break;
            }
        }

        return deleted;
    }
}
