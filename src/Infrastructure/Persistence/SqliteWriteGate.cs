using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// SQLite has one writer per database file, and its driver waits for the lock by sleeping on a thread (with
/// back-off up to 100 ms). Every writer in this process queues here instead, asynchronously, one gate per file:
/// the crowd waits without holding threads and the lock passes from one writer to the next at once.
/// </summary>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ByFile = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ByConnectionString = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string? connectionString) =>
        ByConnectionString.GetOrAdd(connectionString ?? string.Empty, static cs =>
        {
            var source = new SqliteConnectionStringBuilder(cs).DataSource;
            var file = string.IsNullOrEmpty(source) || source == ":memory:" ? cs : Path.GetFullPath(source);
            return ByFile.GetOrAdd(file, static _ => new SemaphoreSlim(1, 1));
        });
}
