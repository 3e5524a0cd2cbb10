using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.IntegrationTests;

/// <summary>A migrated SQLite file in a temporary folder of its own, deleted afterwards.</summary>
public sealed class SqliteDatabase : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ticketing-infra-tests-" + Guid.NewGuid().ToString("N"));

    public string ConnectionString => $"Data Source={Path.Combine(_folder, "ticketing.db")}";

    public SqliteAppDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(ConnectionString).Options);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await using var db = NewContext();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
