using Microsoft.Data.Sqlite;

namespace Ticketing.OnSale;

/// <summary>The zeros, read from the database file both WebApi instances write (not through the API).</summary>
internal sealed class Audit(OnSaleSettings settings, long performanceId)
{
    // Order statuses: 0 pending, 1 payment pending (outside a final state), 2 paid, 3 expired, 4 cancelled, 5 refunded.
    // Ticket status 2 is voided; payment status 0 is DONE.
    private const string NotFinal = "SELECT COUNT(*) FROM Orders WHERE PerformanceId = $p AND Status IN (0, 1)";

    /// <summary>Waits, up to the settle time, for every order to reach a final state by the services' own expiry and reconciliation.</summary>
    /// <returns>Seconds it took (NaN: some were still open at the limit).</returns>
    public async Task<double> WaitForFinalOrdersAsync(Recorder recorder)
    {
        var started = recorder.Now;
        while (recorder.Now - started < settings.SettleSeconds * 1000.0)
        {
            if (await CountAsync(NotFinal) == 0)
            {
                return (recorder.Now - started) / 1000;
            }

            await Task.Delay(500);
        }

        return double.NaN;
    }

    public Task<long> OrdersNotFinalAsync() => CountAsync(NotFinal);

    /// <summary>Seats with more than one live ticket, or in more than one paid order's live lines.</summary>
    public async Task<long> SeatsSoldTwiceAsync() =>
        await CountAsync("SELECT COUNT(*) FROM (SELECT SeatId FROM Tickets WHERE PerformanceId = $p AND Status <> 2 GROUP BY SeatId HAVING COUNT(*) > 1)")
        + await CountAsync("SELECT COUNT(*) FROM (SELECT l.SeatId FROM OrderLines l JOIN Orders o ON o.Id = l.OrderId " +
            "WHERE o.PerformanceId = $p AND o.Status = 2 AND l.IsLive = 1 GROUP BY l.SeatId HAVING COUNT(*) > 1)");

    public Task<long> TicketsAsync() => CountAsync("SELECT COUNT(*) FROM Tickets WHERE PerformanceId = $p AND Status <> 2");

    public Task<long> TicketsWithoutDonePaymentAsync() => CountAsync(
        "SELECT COUNT(*) FROM Tickets t WHERE t.PerformanceId = $p AND t.Status <> 2 " +
        "AND NOT EXISTS (SELECT 1 FROM Payments y WHERE y.OrderId = t.OrderId AND y.Status = 0)");

    public Task<long> DonePaymentsWithoutTicketsAsync() => CountAsync(
        "SELECT COUNT(*) FROM Payments y JOIN Orders o ON o.Id = y.OrderId WHERE o.PerformanceId = $p AND y.Status = 0 " +
        "AND NOT EXISTS (SELECT 1 FROM Tickets t WHERE t.OrderId = y.OrderId AND t.Status <> 2)");

    /// <summary>Orders the provider took money for that have no live ticket in the database (a lost answer never reconciled).</summary>
    public async Task<long> ProviderChargesWithoutTicketsAsync(IReadOnlyCollection<string> orderIds)
    {
        var withTickets = new HashSet<Guid>();
        await using var db = await OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT DISTINCT OrderId FROM Tickets WHERE PerformanceId = $p AND Status <> 2";
        command.Parameters.AddWithValue("$p", performanceId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            withTickets.Add(Guid.Parse(reader.GetString(0)));
        }

        // The provider knows the order by its number (the id without dashes); the database by its TEXT id.
        return orderIds.Count(id => !withTickets.Contains(Guid.Parse(id)));
    }

    public async Task<IReadOnlyList<(int Status, long Count)>> OrdersByStatusAsync()
    {
        var list = new List<(int, long)>();
        await using var db = await OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT Status, COUNT(*) FROM Orders WHERE PerformanceId = $p GROUP BY Status ORDER BY Status";
        command.Parameters.AddWithValue("$p", performanceId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((reader.GetInt32(0), reader.GetInt64(1)));
        }

        return list;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var db = await OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", performanceId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var db = new SqliteConnection($"Data Source={settings.DatabasePath};Mode=ReadOnly;Default Timeout=30");
        await db.OpenAsync();
        return db;
    }
}
