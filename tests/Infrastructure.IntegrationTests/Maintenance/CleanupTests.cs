using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Common;
using Ticketing.Application.Maintenance;
using Ticketing.Infrastructure.AccessPasses;
using Ticketing.Infrastructure.IntegrationTests.Support;

namespace Ticketing.Infrastructure.IntegrationTests.Maintenance;

/// <summary>The clean-ups of what would otherwise grow forever, on a real SQLite file.</summary>
public sealed class CleanupTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Idempotency_records_older_than_the_retention_are_deleted_and_newer_ones_kept()
    {
        var user = Guid.NewGuid();
        var now = _clock.GetUtcNow();
        await using (var db = database.NewContext())
        {
            for (var i = 0; i < 7; i++)
            {
                var record = IdempotencyRecord.Start(user, "confirm", $"old-{i}", "f", now - TimeSpan.FromDays(8) - TimeSpan.FromMinutes(i));
                record.Complete("{}", record.CreatedAt);
                db.IdempotencyRecords.Add(record);
            }

            db.IdempotencyRecords.Add(IdempotencyRecord.Start(user, "confirm", "unfinished-old", "f", now - TimeSpan.FromDays(30)));
            db.IdempotencyRecords.Add(IdempotencyRecord.Start(user, "confirm", "recent", "f", now - TimeSpan.FromDays(6)));
            db.IdempotencyRecords.Add(IdempotencyRecord.Start(user, "cancel", "just-now", "f", now));
            await db.SaveChangesAsync();
        }

        int deleted;
        await using (var db = database.NewContext())
        {
            // Batches of three: the handler loops until nothing old is left.
            deleted = await new PurgeIdempotencyRecordsHandler(db, _clock).Handle(new PurgeIdempotencyRecords(TimeSpan.FromDays(7), BatchSize: 3), default);
        }

        Assert.Equal(8, deleted);
        await using var check = database.NewContext();
        Assert.Equal(["just-now", "recent"], await check.IdempotencyRecords.Where(r => r.UserId == user).Select(r => r.Key).OrderBy(k => k).ToListAsync());
    }

    [Fact]
    public async Task Pass_bindings_are_deleted_once_their_pass_expired_longer_ago_than_the_grace()
    {
        var now = _clock.GetUtcNow();
        var prefix = Guid.NewGuid().ToString("N")[..8];
        await using (var db = database.NewContext())
        {
            foreach (var (jti, expiresAt) in new[]
            {
                ("gone-1", now - TimeSpan.FromHours(3)),
                ("gone-2", now - TimeSpan.FromHours(2)),
                ("gone-3", now - TimeSpan.FromMinutes(61)),
                ("in-grace", now - TimeSpan.FromMinutes(10)),
                ("valid", now + TimeSpan.FromMinutes(20)),
            })
            {
                db.Add(new AccessPassBinding { Jti = prefix + jti, AccountId = Guid.NewGuid(), ExpiresAt = expiresAt });
            }

            await db.SaveChangesAsync();
        }

        int deleted;
        await using (var db = database.NewContext())
        {
            deleted = await new PurgeExpiredPassBindingsHandler(new EfAccessPassBindings(db), _clock).Handle(new PurgeExpiredPassBindings(TimeSpan.FromHours(1), BatchSize: 2), default);
        }

        Assert.Equal(3, deleted);
        await using var check = database.NewContext();
        Assert.Equal([prefix + "in-grace", prefix + "valid"], await check.Set<AccessPassBinding>().Where(b => b.Jti.StartsWith(prefix)).Select(b => b.Jti).OrderBy(j => j).ToListAsync());
    }
}
