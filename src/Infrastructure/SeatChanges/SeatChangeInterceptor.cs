using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Domain.Orders;

namespace Ticketing.Infrastructure.SeatChanges;

/// <summary>
/// Feeds the live seat map from the one place every order transition is committed: EF Core's save. Before a save it
/// notes the seats whose status (available / held / sold, as the seat map derives it from live lines and their
/// order's status) the save changes; after the commit it publishes them. A save inside an explicit transaction
/// publishes when that transaction commits; a failed save or a rollback publishes nothing. Holds written by the
/// SQLite group commit bypass EF Core and publish from there.
/// </summary>
internal sealed class SeatChangeInterceptor(ISeatChangeFeed feed) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<(long PerformanceId, SeatChange Change)>> _pending = [];

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Committed(eventData.Context);
        return result;
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Discard(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Discard(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    /// <summary>What the seat map shows for a line of an order in this status.</summary>
    internal static SeatStatus StatusOf(bool live, OrderStatus status) =>
        !live ? SeatStatus.Available
        : status == OrderStatus.Paid ? SeatStatus.Sold
        : status is OrderStatus.Pending or OrderStatus.PaymentPending ? SeatStatus.Held
        : SeatStatus.Available;

    private void Capture(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<(long, SeatChange)>? changes = null;
        foreach (var entry in context.ChangeTracker.Entries<Order>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            var order = entry.Entity;
            var statusBefore = entry.State == EntityState.Added ? order.Status : entry.Property(o => o.Status).OriginalValue;
            foreach (var line in order.Lines)
            {
                var lineEntry = context.Entry(line);
                var added = entry.State == EntityState.Added || lineEntry.State == EntityState.Added;
                var before = added ? SeatStatus.Available : StatusOf(LiveBefore(lineEntry), statusBefore);
                var after = StatusOf(line.IsLive, order.Status);
                if (before != after)
                {
                    (changes ??= []).Add((order.PerformanceId, new SeatChange(line.SeatId, after)));
                }
            }
        }

        if (changes is not null)
        {
            var list = _pending.GetOrCreateValue(context);
            lock (list)
            {
                list.AddRange(changes);
            }
        }
    }

    private static bool LiveBefore(EntityEntry<OrderLine> line) =>
        line.State == EntityState.Unchanged ? line.Entity.IsLive : line.Property(l => l.IsLive).OriginalValue;

    private void Committed(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            Flush(context);
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var list))
        {
            return;
        }

        List<(long PerformanceId, SeatChange Change)> changes;
        lock (list)
        {
            changes = [.. list];
            list.Clear();
        }

        foreach (var group in changes.GroupBy(c => c.PerformanceId))
        {
            feed.Publish(group.Key, group.Select(c => c.Change).ToList());
        }
    }

    private void Discard(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var list))
        {
            lock (list)
            {
                list.Clear();
            }
        }
    }
}
