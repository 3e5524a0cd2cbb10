using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// Puts the scheduler's own SQLite file in WAL mode (a property of the file, kept once set), as the main file is:
/// with the default rollback journal a reader blocks a writer, and the scheduler's threads then wait on each other
/// for the driver's busy timeout.
/// </summary>
internal sealed class SqliteJobsFileSetup(string connectionString) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
