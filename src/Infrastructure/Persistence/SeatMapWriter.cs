using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Catalog;

namespace Ticketing.Infrastructure.Persistence;

internal sealed class SeatMapWriter(AppDbContext db) : ISeatMapWriter
{
    public async Task WriteAsync(long performanceId, IReadOnlyList<SeatDefinition> seats, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Seats are written inside the transaction that creates their performance.");
        switch (transaction)
        {
            case SqliteTransaction sqlite:
                await WriteSqliteAsync(sqlite, performanceId, seats, cancellationToken);
                break;
            case SqlTransaction sqlServer:
                await WriteSqlServerAsync(sqlServer, performanceId, seats, cancellationToken);
                break;
            default:
                throw new NotSupportedException($"No bulk seat writer for {transaction.GetType().Name}.");
        }
    }

    private static async Task WriteSqliteAsync(SqliteTransaction transaction, long performanceId, IReadOnlyList<SeatDefinition> seats, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "Seats" ("PerformanceId", "Section", "Row", "Number", "Label", "X", "Y", "GradeCode")
            VALUES ($performance, $section, $row, $number, $label, $x, $y, $grade)
            """;
        var performance = command.Parameters.Add("$performance", SqliteType.Integer);
        var section = command.Parameters.Add("$section", SqliteType.Text);
        var row = command.Parameters.Add("$row", SqliteType.Text);
        var number = command.Parameters.Add("$number", SqliteType.Text);
        var label = command.Parameters.Add("$label", SqliteType.Text);
        var x = command.Parameters.Add("$x", SqliteType.Real);
        var y = command.Parameters.Add("$y", SqliteType.Real);
        var grade = command.Parameters.Add("$grade", SqliteType.Text);
        performance.Value = performanceId;
        command.Prepare();
        foreach (var seat in seats)
        {
            cancellationToken.ThrowIfCancellationRequested();
            section.Value = seat.Section;
            row.Value = seat.Row;
            number.Value = seat.Number;
            label.Value = seat.Label;
            x.Value = seat.X;
            y.Value = seat.Y;
            grade.Value = seat.GradeCode;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task WriteSqlServerAsync(SqlTransaction transaction, long performanceId, IReadOnlyList<SeatDefinition> seats, CancellationToken cancellationToken)
    {
        using var table = new DataTable();
        table.Columns.Add("PerformanceId", typeof(long));
        table.Columns.Add("Section", typeof(string));
        table.Columns.Add("Row", typeof(string));
        table.Columns.Add("Number", typeof(string));
        table.Columns.Add("Label", typeof(string));
        table.Columns.Add("X", typeof(double));
        table.Columns.Add("Y", typeof(double));
        table.Columns.Add("GradeCode", typeof(string));
        foreach (var seat in seats)
        {
            table.Rows.Add(performanceId, seat.Section, seat.Row, seat.Number, seat.Label, seat.X, seat.Y, seat.GradeCode);
        }

        using var bulk = new SqlBulkCopy(transaction.Connection, SqlBulkCopyOptions.CheckConstraints, transaction)
        {
            DestinationTableName = "[Seats]",
            BatchSize = 10_000,
            BulkCopyTimeout = 120,
        };
        foreach (DataColumn column in table.Columns)
        {
            bulk.ColumnMappings.Add(column.ColumnName, column.ColumnName);
        }

        // SqlBulkCopy keeps the source order, so identity values follow the order of the map.
        await bulk.WriteToServerAsync(table, cancellationToken);
    }
}
