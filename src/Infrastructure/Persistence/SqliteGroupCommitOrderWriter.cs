using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Orders;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Group commit of holds on SQLite. SQLite has one writer per file, so holds that each commit on their own queue
/// for the lock one by one. Here the holds waiting at any moment are written by one loop in one transaction, each
/// judged alone: a hold whose seat the unique index refuses, or that would take its fan past the limit, leaves
/// nothing behind while the others commit. Every hold is answered only after its transaction
/// committed, so an answered hold is durable exactly as a single commit would be.
/// </summary>
/// <remarks>
/// The fan's limit is counted inside the write transaction, after the holds before it in the same batch: with
/// one writer the count is exact, so no fan can pass the limit by racing their own requests. Statements are
/// prepared once on a connection the loop keeps open; the loop takes the same write gate as every other writer
/// of the file (<see cref="SqliteWriteGate"/>), so it never sleeps in SQLite's busy handler.
/// </remarks>
internal sealed partial class SqliteGroupCommitOrderWriter : IPendingOrderWriter, IAsyncDisposable
{
    /// <summary>How many holds one transaction takes at most; more wait for the next one.</summary>
    internal const int MaxBatch = 256;

    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(16_384)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _gate;
    private readonly ILogger<SqliteGroupCommitOrderWriter> _logger;
    private readonly ISeatChangeFeed _seatChanges;
    private readonly Task _loop;

    public SqliteGroupCommitOrderWriter(string connectionString, string synchronous, ISeatChangeFeed seatChanges, ILogger<SqliteGroupCommitOrderWriter> logger)
    {
        _seatChanges = seatChanges;
        _connectionString = connectionString;
        // Foreign keys as EF enforces them; a page cache and memory map large enough that the indexes a hold
        // touches stay in memory; statement journals in memory.
        _pragmas = SqlitePragmas.Sql(synchronous) + " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;";
        _gate = SqliteWriteGate.For(connectionString);
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far, and the holds they carried (what the tests check grouping by).</summary>
    internal (long Batches, long Holds) Committed => (Interlocked.Read(ref _batches), Interlocked.Read(ref _holds));

    private long _batches;
    private long _holds;

    public async Task<PlaceOrderOutcome> PlaceAsync(Order order, int maxSeatsPerFan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var write = new PendingWrite(order, maxSeatsPerFan, now);
        await _queue.Writer.WriteAsync(write, cancellationToken);

        // Once queued the write goes ahead whatever the caller does; waiting for it keeps the answer truthful.
        return await write.Completion.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingWrite>(MaxBatch);
        Statements? statements = null;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                await _gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    statements ??= Statements.Open(_connectionString, _pragmas);
                    WriteBatch(statements, batch);
                }
                catch (Exception ex)
                {
                    // The transaction did not commit: nothing of this batch is written. Start afresh next time.
                    LogBatchFailed(_logger, batch.Count, ex);
                    foreach (var write in batch)
                    {
                        write.Completion.TrySetException(ex);
                    }

                    statements?.Dispose();
                    statements = null;
                }
                finally
                {
                    _gate.Release();
                }

                batch.Clear();
            }
        }
        finally
        {
            statements?.Dispose();
        }
    }

    private void WriteBatch(Statements s, List<PendingWrite> batch)
    {
        var outcomes = new PlaceOrderOutcome?[batch.Count];
        var failures = new Exception?[batch.Count];
        s.Begin.ExecuteNonQuery();
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    outcomes[i] = WriteOne(s, batch[i]);
                }
                catch (SqliteException ex) when (!IsTransactionGone(s))
                {
                    // Nothing of this hold was kept; the others stand.
                    failures[i] = ex;
                }
            }

            s.Commit.ExecuteNonQuery();
        }
        catch
        {
            RollbackQuietly(s);
            throw;
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _holds, batch.Count);

        // Committed: the live seat map hears of the new holds before any of them is answered. These writes bypass
        // EF Core, so its interceptor, which feeds every other transition, does not see them. Seats of lapsed holds
        // closed on the way go first, so a seat closed and taken again in this batch ends as held.
        foreach (var write in batch)
        {
            foreach (var reclaimed in write.Reclaimed)
            {
                LogReclaimed(_logger, reclaimed.OrderId, reclaimed.SeatIds.Count);
                _seatChanges.Publish(write.Order.PerformanceId, reclaimed.SeatIds.Select(id => new SeatChange(id, Application.Catalog.SeatStatus.Available)).ToList());
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { Status: PlaceOrderStatus.Placed })
            {
                var order = batch[i].Order;
                _seatChanges.Publish(order.PerformanceId, order.Lines.Select(l => new SeatChange(l.SeatId, Application.Catalog.SeatStatus.Held)).ToList());
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Completion.TrySetException(failure);
            }
            else
            {
                batch[i].Completion.TrySetResult(outcomes[i]!);
            }
        }
    }

    /// <summary>
    /// One hold inside the batch's transaction, in three statements: the fan's count, the order row, and all its
    /// lines in one multi-row insert. SQLite undoes a failed statement whole, so a line refused by the unique
    /// index leaves no line of this order. When the seats in the way belong only partly or wholly to holds past
    /// their deadline that the expiry has not closed yet, those holds are closed here, in the same transaction, and
    /// the lines are inserted once more (<see cref="ReclaimLapsedHolds"/>); otherwise the order row is deleted, and
    /// nothing of the hold remains.
    /// </summary>
    private static PlaceOrderOutcome WriteOne(Statements s, PendingWrite write)
    {
        var order = write.Order;
        var orderId = Text(order.Id);
        s.CountFan.Parameters[0].Value = Text(order.FanId);
        s.CountFan.Parameters[1].Value = order.PerformanceId;
        s.CountFan.Parameters[2].Value = write.Now.UtcTicks;
        var held = Convert.ToInt32(s.CountFan.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (held + order.Lines.Count > write.MaxSeatsPerFan)
        {
            return PlaceOrderOutcome.FanLimit(held);
        }

        var p = s.InsertOrder.Parameters;
        p[0].Value = orderId;
        p[1].Value = Text(order.FanId);
        p[2].Value = order.PerformanceId;
        p[3].Value = (int)order.Status;
        p[4].Value = order.TotalAmount;
        p[5].Value = order.CreatedAt.UtcTicks;
        p[6].Value = order.ExpiresAt.UtcTicks;
        p[7].Value = order.UpdatedAt.UtcTicks;
        p[8].Value = order.Version;
        s.InsertOrder.ExecuteNonQuery();
        try
        {
            if (TryInsertLines(s, order, orderId))
            {
                return PlaceOrderOutcome.Placed;
            }

            if (ReclaimLapsedHolds(s, write) && TryInsertLines(s, order, orderId))
            {
                return PlaceOrderOutcome.Placed;
            }
        }
        catch (SqliteException) when (!IsTransactionGone(s))
        {
            DeleteOrder(s, orderId);
            throw;
        }

        DeleteOrder(s, orderId);
        return PlaceOrderOutcome.SeatsTaken(TakenSeats(s.Connection, order));
    }

    /// <summary>Inserts the order's lines; false when the unique index over live lines refused one (none is then kept).</summary>
    private static bool TryInsertLines(Statements s, Order order, string orderId)
    {
        var insertLines = s.InsertLines(order.Lines.Count);
        var l = insertLines.Parameters;
        l[0].Value = orderId;
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            l[1 + (i * Statements.LineColumns)].Value = line.PerformanceId;
            l[2 + (i * Statements.LineColumns)].Value = line.SeatId;
            l[3 + (i * Statements.LineColumns)].Value = line.Label;
            l[4 + (i * Statements.LineColumns)].Value = line.GradeCode;
            l[5 + (i * Statements.LineColumns)].Value = line.Price;
            l[6 + (i * Statements.LineColumns)].Value = line.IsLive;
        }

        try
        {
            insertLines.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && ex.SqliteExtendedErrorCode == SqliteConstraintUnique && !IsTransactionGone(s))
        {
            return false;
        }
    }

    /// <summary>
    /// A seat's lock may be gone (its grace ended) while the order that held it, past its deadline, still waits for
    /// the expiry job: the seat map already shows it free, so the hold must not be refused for it. Closes, as
    /// <see cref="Order.Expire"/> does (status Expired, lines no longer live, version moved on), every order in the
    /// way that is pending, past its deadline at the hold's instant, and never had a payment attempt; an order with
    /// one is left to the expiry, which asks the provider first. Runs only after the unique index refused a line,
    /// inside the batch's transaction, so the closing and the new hold commit together or not at all. The version
    /// step makes any save prepared against the old row (a payment, the expiry job) fail its concurrency check.
    /// </summary>
    /// <returns>Whether any order was closed (the lines are then worth inserting once more).</returns>
    private static bool ReclaimLapsedHolds(Statements s, PendingWrite write)
    {
        var order = write.Order;
        using var close = s.Connection.CreateCommand();
        var sql = new StringBuilder(
            """
            UPDATE "Orders" SET "Status" = 3, "UpdatedAt" = $now, "Version" = "Version" + 1
            WHERE "Status" = 0 AND "PaymentKey" IS NULL AND "ExpiresAt" <= $now AND "PerformanceId" = $p
              AND NOT EXISTS (SELECT 1 FROM "WaitlistOffers" w WHERE w."OrderId" = "Orders"."Id") -- waitlist (issue 13.1): a lapsed offer passes to the next fan, via the expiry
              AND "Id" IN (
              SELECT "OrderId" FROM "OrderLines" WHERE "PerformanceId" = $p AND "IsLive" = 1 AND "SeatId" IN (
            """);
        close.Parameters.AddWithValue("$now", write.Now.UtcTicks);
        close.Parameters.AddWithValue("$p", order.PerformanceId);
        for (var i = 0; i < order.Lines.Count; i++)
        {
            sql.Append(i == 0 ? "$s" : ", $s").Append(i);
            close.Parameters.AddWithValue("$s" + i.ToString(CultureInfo.InvariantCulture), order.Lines[i].SeatId);
        }

        close.CommandText = sql.Append(")) RETURNING \"Id\";").ToString();
        var closed = new List<string>();
        using (var reader = close.ExecuteReader())
        {
            while (reader.Read())
            {
                closed.Add(reader.GetString(0));
            }
        }

        foreach (var id in closed)
        {
            using var release = s.Connection.CreateCommand();
            release.CommandText = "UPDATE \"OrderLines\" SET \"IsLive\" = 0 WHERE \"OrderId\" = $id AND \"IsLive\" = 1 RETURNING \"SeatId\";";
            release.Parameters.AddWithValue("$id", id);
            var seats = new List<long>();
            using (var reader = release.ExecuteReader())
            {
                while (reader.Read())
                {
                    seats.Add(reader.GetInt64(0));
                }
            }

            write.Reclaimed.Add(new ReclaimedHold(Guid.Parse(id), seats));
        }

        return closed.Count > 0;
    }

    private static void DeleteOrder(Statements s, string orderId)
    {
        s.DeleteOrder.Parameters[0].Value = orderId;
        s.DeleteOrder.ExecuteNonQuery();
    }

    private static List<long> TakenSeats(SqliteConnection connection, Order order)
    {
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT \"SeatId\" FROM \"OrderLines\" WHERE \"PerformanceId\" = $p AND \"IsLive\" = 1 AND \"SeatId\" IN (");
        command.Parameters.AddWithValue("$p", order.PerformanceId);
        for (var i = 0; i < order.Lines.Count; i++)
        {
            sql.Append(i == 0 ? "$s" : ", $s").Append(i);
            command.Parameters.AddWithValue("$s" + i.ToString(CultureInfo.InvariantCulture), order.Lines[i].SeatId);
        }

        command.CommandText = sql.Append(") ORDER BY \"SeatId\"").ToString();
        var taken = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            taken.Add(reader.GetInt64(0));
        }

        // A refused insert with no live line to show can only be a seat named twice in one batch's rollback race; report them all.
        return taken.Count > 0 ? taken : order.Lines.Select(l => l.SeatId).ToList();
    }

    /// <summary>SQLite rolls a whole transaction back on some errors (disk full, I/O); then the batch fails whole.</summary>
    private static bool IsTransactionGone(Statements s) => s.Connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;

    private static void RollbackQuietly(Statements s)
    {
        try
        {
            if (!IsTransactionGone(s))
            {
                s.Rollback.ExecuteNonQuery();
            }
        }
        catch (SqliteException)
        {
            // The connection is dropped and opened afresh for the next batch.
        }
    }

    /// <summary>Guids as EF Core stores them on SQLite: upper-case text.</summary>
    private static string Text(Guid id) => id.ToString("D").ToUpperInvariant();

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "A group commit of {Count} holds failed; none of them was written")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Order {OrderId} expired by a hold that needed its seats; {Count} seats released")]
    private static partial void LogReclaimed(ILogger logger, Guid orderId, int count);

    /// <summary>A lapsed order closed inside a batch so a hold could take its seats, and the seats it had.</summary>
    private sealed record ReclaimedHold(Guid OrderId, IReadOnlyList<long> SeatIds);

    private sealed class PendingWrite(Order order, int maxSeatsPerFan, DateTimeOffset now)
    {
        /// <summary>Lapsed orders this hold closed on its way (kept whatever became of the hold itself).</summary>
        public List<ReclaimedHold> Reclaimed { get; } = [];

        public Order Order { get; } = order;

        public int MaxSeatsPerFan { get; } = maxSeatsPerFan;

        public DateTimeOffset Now { get; } = now;

        public TaskCompletionSource<PlaceOrderOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The loop's connection and its prepared statements.</summary>
    private sealed class Statements : IDisposable
    {
        private readonly List<SqliteCommand> _all = [];
        private readonly Dictionary<int, SqliteCommand> _insertLines = [];

        private Statements(SqliteConnection connection)
        {
            Connection = connection;
            Begin = Prepare("BEGIN IMMEDIATE;");
            Commit = Prepare("COMMIT;");
            Rollback = Prepare("ROLLBACK;");
            DeleteOrder = Prepare("DELETE FROM \"Orders\" WHERE \"Id\" = $id;", ("$id", SqliteType.Text));
            CountFan = Prepare(
                """
                SELECT COUNT(*) FROM "Orders" AS o
                INNER JOIN "OrderLines" AS l ON l."OrderId" = o."Id"
                WHERE o."FanId" = $fan AND o."PerformanceId" = $performance AND l."IsLive" = 1
                  AND (o."Status" IN (1, 2) OR (o."Status" = 0 AND o."ExpiresAt" > $now));
                """,
                ("$fan", SqliteType.Text), ("$performance", SqliteType.Integer), ("$now", SqliteType.Integer));
            InsertOrder = Prepare(
                """
                INSERT INTO "Orders" ("Id", "FanId", "PerformanceId", "Status", "TotalAmount", "CreatedAt", "ExpiresAt", "UpdatedAt",
                    "Version", "PaymentChecks", "RefundedAmount")
                VALUES ($id, $fan, $performance, $status, $total, $created, $expires, $updated, $version, 0, 0);
                """,
                ("$id", SqliteType.Text), ("$fan", SqliteType.Text), ("$performance", SqliteType.Integer), ("$status", SqliteType.Integer),
                ("$total", SqliteType.Integer), ("$created", SqliteType.Integer), ("$expires", SqliteType.Integer),
                ("$updated", SqliteType.Integer), ("$version", SqliteType.Integer));
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Begin { get; }

        public SqliteCommand Commit { get; }

        public SqliteCommand Rollback { get; }

        public SqliteCommand DeleteOrder { get; }

        public SqliteCommand CountFan { get; }

        public SqliteCommand InsertOrder { get; }

        /// <summary>The columns of a line that vary per line (the order id is one parameter for all).</summary>
        public const int LineColumns = 6;

        /// <summary>The multi-row insert of an order's lines, prepared once per number of lines.</summary>
        public SqliteCommand InsertLines(int count)
        {
            if (_insertLines.TryGetValue(count, out var command))
            {
                return command;
            }

            // FacePrice: the grade's price at the hold, which is the price charged until a discount is chosen (discounts, issue 13.2).
            var sql = new StringBuilder("INSERT INTO \"OrderLines\" (\"OrderId\", \"PerformanceId\", \"SeatId\", \"Label\", \"GradeCode\", \"Price\", \"FacePrice\", \"IsLive\") VALUES ");
            var parameters = new List<(string, SqliteType)> { ("$order", SqliteType.Text) };
            for (var i = 0; i < count; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "(" : ", (").Append("$order, $performance").Append(n).Append(", $seat").Append(n).Append(", $label").Append(n)
                    .Append(", $grade").Append(n).Append(", $price").Append(n).Append(", $price").Append(n).Append(", $live").Append(n).Append(')');
                parameters.Add(("$performance" + n, SqliteType.Integer));
                parameters.Add(("$seat" + n, SqliteType.Integer));
                parameters.Add(("$label" + n, SqliteType.Text));
                parameters.Add(("$grade" + n, SqliteType.Text));
                parameters.Add(("$price" + n, SqliteType.Integer));
                parameters.Add(("$live" + n, SqliteType.Integer));
            }

            command = Prepare(sql.Append(';').ToString(), [.. parameters]);
            _insertLines[count] = command;
            return command;
        }

        public static Statements Open(string connectionString, string pragmas)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                using (var setup = connection.CreateCommand())
                {
                    setup.CommandText = pragmas;
                    setup.ExecuteNonQuery();
                }

                return new Statements(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            foreach (var command in _all)
            {
                command.Dispose();
            }

            Connection.Dispose();
        }

        private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }

            command.Prepare();
            _all.Add(command);
            return command;
        }
    }
}
