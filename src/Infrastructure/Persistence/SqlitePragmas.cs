using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings, applied each time EF opens a connection: how hard each commit syncs to disk
/// (<c>Database:SqliteSynchronous</c>, default NORMAL: with WAL a process crash loses nothing and the file can
/// never corrupt; only a power cut may lose the last commits) and how long to wait for the write lock.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private readonly string _sql;

    public SqlitePragmas(string synchronous) => _sql = Sql(synchronous);

    /// <summary>The statements that set up a connection: the same for EF's connections and the hold writer's.</summary>
    public static string Sql(string synchronous) => synchronous is "FULL" or "NORMAL" or "EXTRA"
        ? $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout=30000;"
        : throw new ArgumentException("Database:SqliteSynchronous must be FULL, NORMAL or EXTRA.", nameof(synchronous));

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }
}
