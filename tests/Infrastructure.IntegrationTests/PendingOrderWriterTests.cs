using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.IntegrationTests;

/// <summary>
/// What every pending-order writer promises, on a real migrated SQLite file: the group-commit writer (SQLite's)
/// and the one-transaction-per-hold EF writer (SQL Server's, run here on SQLite).
/// </summary>
public abstract class PendingOrderWriterContract(SqliteDatabase database) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);

    protected SqliteDatabase Database { get; } = database;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Places through a writer of the kind under test.</summary>
    protected abstract Task<PlaceOrderOutcome> PlaceAsync(Order order, int maxSeatsPerFan, DateTimeOffset now);

    [Fact]
    public async Task A_placed_order_reads_back_through_ef_exactly_as_it_was_written()
    {
        var (performanceId, seats) = await NewPerformanceAsync(3);
        var fan = Guid.NewGuid();
        var order = Order.Place(fan, performanceId, [Draft(seats[0]), Draft(seats[2])], Now, Hold);

        var outcome = await PlaceAsync(order, 4, Now);

        Assert.Equal(PlaceOrderStatus.Placed, outcome.Status);
        await using var db = Database.NewContext();
        var stored = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == order.Id);
        Assert.Equal(fan, stored.FanId);
        Assert.Equal(performanceId, stored.PerformanceId);
        Assert.Equal(OrderStatus.Pending, stored.Status);
        Assert.Equal(order.TotalAmount, stored.TotalAmount);
        Assert.Equal(Now, stored.CreatedAt);
        Assert.Equal(Now + Hold, stored.ExpiresAt);
        Assert.Equal(Now, stored.UpdatedAt);
        Assert.Equal(0, stored.Version);
        Assert.Null(stored.PaymentKey);
        Assert.Null(stored.PaidAt);
        Assert.Equal(0, stored.RefundedAmount);
        Assert.Equal(
            order.Lines.Select(l => (l.SeatId, l.Label, l.GradeCode, l.Price, l.PerformanceId, l.IsLive)),
            stored.Lines.OrderBy(l => l.SeatId).Select(l => (l.SeatId, l.Label, l.GradeCode, l.Price, l.PerformanceId, l.IsLive)));
        Assert.True(await db.Orders.AnyAsync(o => o.FanId == fan && o.PerformanceId == performanceId && o.ExpiresAt > Now));

        // EF can move it on from there: the written version is the one it expects.
        stored.Cancel(Now.AddMinutes(1));
        await db.SaveChangesAsync();
        Assert.Equal(0, await db.OrderLines.CountAsync(l => l.OrderId == order.Id && l.IsLive));
    }

    [Fact]
    public async Task A_seat_live_in_another_order_refuses_the_whole_order_and_names_the_seat()
    {
        var (performanceId, seats) = await NewPerformanceAsync(3);
        Assert.Equal(PlaceOrderStatus.Placed, (await PlaceAsync(Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[1])], Now, Hold), 4, Now)).Status);
        var second = Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[0]), Draft(seats[1]), Draft(seats[2])], Now, Hold);

        var outcome = await PlaceAsync(second, 4, Now);

        Assert.Equal(PlaceOrderStatus.SeatsTaken, outcome.Status);
        Assert.Equal([seats[1].Id], outcome.TakenSeatIds);
        await using var db = Database.NewContext();
        Assert.False(await db.Orders.AnyAsync(o => o.Id == second.Id));
        Assert.Equal(1, await db.OrderLines.CountAsync(l => l.PerformanceId == performanceId));
    }

    [Fact]
    public async Task The_fan_limit_counts_live_holds_and_seats_being_paid_but_not_lapsed_or_closed_orders()
    {
        var (performanceId, seats) = await NewPerformanceAsync(8);
        var fan = Guid.NewGuid();
        await using (var db = Database.NewContext())
        {
            // Lapsed (past its deadline, not yet expired by the job), cancelled: neither counts.
            db.Orders.Add(Order.Place(fan, performanceId, [Draft(seats[0]), Draft(seats[1])], Now - Hold - TimeSpan.FromSeconds(1), Hold));
            var cancelled = Order.Place(fan, performanceId, [Draft(seats[2]), Draft(seats[3])], Now, Hold);
            cancelled.Cancel(Now);
            db.Orders.Add(cancelled);

            // Awaiting a payment outcome: counts, past its deadline or not.
            var paying = Order.Place(fan, performanceId, [Draft(seats[4])], Now - Hold + TimeSpan.FromSeconds(1), Hold);
            paying.BeginPayment("pay-key", Now, Now.AddMinutes(1));
            db.Orders.Add(paying);
            await db.SaveChangesAsync();
        }

        Assert.Equal(PlaceOrderStatus.Placed, (await PlaceAsync(Order.Place(fan, performanceId, [Draft(seats[5]), Draft(seats[6])], Now, Hold), 4, Now)).Status);
        var over = await PlaceAsync(Order.Place(fan, performanceId, [Draft(seats[7])], Now, Hold), 3, Now);
        var fits = await PlaceAsync(Order.Place(fan, performanceId, [Draft(seats[7])], Now, Hold), 4, Now);

        Assert.Equal(PlaceOrderStatus.FanLimit, over.Status);
        Assert.Equal(3, over.SeatsAlreadyHeld);
        Assert.Equal(PlaceOrderStatus.Placed, fits.Status);
    }

    [Fact]
    public async Task A_crowd_placing_orders_at_once_never_puts_a_seat_in_two_live_orders()
    {
        var (performanceId, seats) = await NewPerformanceAsync(40);
        var random = new Random(7);
        var orders = Enumerable.Range(0, 200).Select(_ =>
        {
            var picked = seats.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(Draft).ToList();
            return Order.Place(Guid.NewGuid(), performanceId, picked, Now, Hold);
        }).ToList();

        var outcomes = await Task.WhenAll(orders.Select(o => Task.Run(() => PlaceAsync(o, 4, Now))));

        await using var db = Database.NewContext();
        var live = await db.OrderLines.Where(l => l.PerformanceId == performanceId && l.IsLive).Select(l => new { l.SeatId, l.OrderId }).ToListAsync();
        Assert.Equal(live.Count, live.Select(l => l.SeatId).Distinct().Count());
        var placed = orders.Zip(outcomes).Where(x => x.Second.Status == PlaceOrderStatus.Placed).Select(x => x.First).ToList();
        Assert.NotEmpty(placed);
        Assert.Equal(placed.Sum(o => o.Lines.Count), live.Count);
        Assert.All(placed, o => Assert.Equal(o.Lines.Count, live.Count(l => l.OrderId == o.Id)));
        Assert.All(outcomes.Where(o => o.Status != PlaceOrderStatus.Placed), o => Assert.Equal(PlaceOrderStatus.SeatsTaken, o.Status));
        Assert.Equal(
            orders.Zip(outcomes).Where(x => x.Second.Status == PlaceOrderStatus.SeatsTaken).Select(x => x.First.Id).Order(),
            orders.Select(o => o.Id).Except(await db.Orders.Where(o => o.PerformanceId == performanceId).Select(o => o.Id).ToListAsync()).Order());
    }

    [Fact]
    public async Task One_fan_racing_their_own_orders_never_ends_past_the_limit()
    {
        var (performanceId, seats) = await NewPerformanceAsync(20);
        var fan = Guid.NewGuid();
        var orders = Enumerable.Range(0, 10).Select(i => Order.Place(fan, performanceId, [Draft(seats[2 * i]), Draft(seats[(2 * i) + 1])], Now, Hold)).ToList();

        var outcomes = await Task.WhenAll(orders.Select(o => Task.Run(() => PlaceAsync(o, 4, Now))));

        await using var db = Database.NewContext();
        var liveSeats = await db.Orders.Where(o => o.FanId == fan && o.Status == OrderStatus.Pending).SelectMany(o => o.Lines).CountAsync(l => l.IsLive);
        // Never past the limit, and every "placed" answer is a live order. (The EF writer, which checks after its
        // commit, may refuse all racers; the group-commit writer places exactly up to the limit, tested below.)
        Assert.InRange(liveSeats, 0, 4);
        Assert.Equal(liveSeats / 2, outcomes.Count(o => o.Status == PlaceOrderStatus.Placed));
        Assert.All(outcomes.Where(o => o.Status != PlaceOrderStatus.Placed), o => Assert.Equal(PlaceOrderStatus.FanLimit, o.Status));
    }

    [Fact]
    public async Task A_seat_whose_hold_lapsed_is_taken_at_once_and_the_lapsed_order_closes_in_the_same_write()
    {
        // The lapsed hold's lock grace has ended and the expiry has not run: the seat map and the lock show seat 1
        // free, while the database still has the lapsed order's line live.
        var (performanceId, seats) = await NewPerformanceAsync(3);
        var placedAt = Now - Hold - TimeSpan.FromSeconds(1);
        var lapsed = Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[0]), Draft(seats[1])], placedAt, Hold);
        Assert.Equal(PlaceOrderStatus.Placed, (await PlaceAsync(lapsed, 4, placedAt)).Status);
        var next = Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[1]), Draft(seats[2])], Now, Hold);
        await using var racing = Database.NewContext();
        var stale = await racing.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == lapsed.Id);

        var outcome = await PlaceAsync(next, 4, Now);

        Assert.Equal(PlaceOrderStatus.Placed, outcome.Status);
        await using var db = Database.NewContext();
        var closed = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == lapsed.Id);
        Assert.Equal(OrderStatus.Expired, closed.Status);
        Assert.Equal(Now, closed.UpdatedAt);
        Assert.Equal(1, closed.Version);
        Assert.All(closed.Lines, l => Assert.False(l.IsLive));
        var live = await db.OrderLines.Where(l => l.PerformanceId == performanceId && l.IsLive).Select(l => new { l.SeatId, l.OrderId }).ToListAsync();
        Assert.Equal([(seats[1].Id, next.Id), (seats[2].Id, next.Id)], live.Select(l => (l.SeatId, l.OrderId)).OrderBy(l => l.SeatId));

        // Whatever else read the lapsed order before (the expiry job, a cancel) saves against the old version and loses.
        stale.Cancel(Now);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => racing.SaveChangesAsync());
    }

    [Fact]
    public async Task A_lapsed_hold_with_a_payment_attempt_and_a_live_hold_keep_their_seats()
    {
        var (performanceId, seats) = await NewPerformanceAsync(4);
        var placedAt = Now - Hold - TimeSpan.FromMinutes(1);
        var declined = Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[0])], placedAt, Hold);
        Assert.Equal(PlaceOrderStatus.Placed, (await PlaceAsync(declined, 4, placedAt)).Status);
        await using (var db = Database.NewContext())
        {
            // A card was refused before the deadline: pending again, but the expiry asks the provider before its seats go.
            var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == declined.Id);
            order.BeginPayment("pk_declined", placedAt.AddMinutes(1), placedAt.AddMinutes(3));
            await db.SaveChangesAsync();
            order.PaymentDeclined(placedAt.AddMinutes(2));
            await db.SaveChangesAsync();
        }

        var live = Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[1])], Now - TimeSpan.FromMinutes(1), Hold);
        Assert.Equal(PlaceOrderStatus.Placed, (await PlaceAsync(live, 4, Now - TimeSpan.FromMinutes(1))).Status);
        var lapsedPlain = Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[2])], placedAt, Hold);
        Assert.Equal(PlaceOrderStatus.Placed, (await PlaceAsync(lapsedPlain, 4, placedAt)).Status);

        var onDeclined = await PlaceAsync(Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[0])], Now, Hold), 4, Now);
        var onLiveAndLapsed = await PlaceAsync(Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[1]), Draft(seats[2]), Draft(seats[3])], Now, Hold), 4, Now);

        Assert.Equal(PlaceOrderStatus.SeatsTaken, onDeclined.Status);
        Assert.Equal([seats[0].Id], onDeclined.TakenSeatIds);
        // All or nothing: the live seat refuses the whole order, and only the live seat is named.
        Assert.Equal(PlaceOrderStatus.SeatsTaken, onLiveAndLapsed.Status);
        Assert.Equal([seats[1].Id], onLiveAndLapsed.TakenSeatIds);
        await using var check = Database.NewContext();
        Assert.Equal(OrderStatus.Pending, (await check.Orders.SingleAsync(o => o.Id == declined.Id)).Status);
        Assert.Equal(OrderStatus.Pending, (await check.Orders.SingleAsync(o => o.Id == live.Id)).Status);
        Assert.False(await check.OrderLines.AnyAsync(l => l.PerformanceId == performanceId && l.SeatId == seats[3].Id));
        var liveSeats = await check.OrderLines.Where(l => l.PerformanceId == performanceId && l.IsLive).Select(l => l.SeatId).ToListAsync();
        Assert.Equal(liveSeats.Count, liveSeats.Distinct().Count());
    }

    [Fact]
    public async Task A_crowd_racing_for_a_lapsed_hold_s_seat_gives_it_to_exactly_one()
    {
        var (performanceId, seats) = await NewPerformanceAsync(2);
        var placedAt = Now - Hold - TimeSpan.FromSeconds(1);
        var lapsed = Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[0]), Draft(seats[1])], placedAt, Hold);
        Assert.Equal(PlaceOrderStatus.Placed, (await PlaceAsync(lapsed, 4, placedAt)).Status);
        var racers = Enumerable.Range(0, 40).Select(i => Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[i % 2])], Now, Hold)).ToList();

        var outcomes = await Task.WhenAll(racers.Select(o => Task.Run(() => PlaceAsync(o, 4, Now))));

        Assert.Equal(2, outcomes.Count(o => o.Status == PlaceOrderStatus.Placed));
        Assert.All(outcomes.Where(o => o.Status != PlaceOrderStatus.Placed), o => Assert.Equal(PlaceOrderStatus.SeatsTaken, o.Status));
        await using var db = Database.NewContext();
        Assert.Equal(OrderStatus.Expired, (await db.Orders.SingleAsync(o => o.Id == lapsed.Id)).Status);
        var live = await db.OrderLines.Where(l => l.PerformanceId == performanceId && l.IsLive).Select(l => l.SeatId).ToListAsync();
        Assert.Equal(seats.Select(s => s.Id).Order(), live.Order());
    }

    protected static OrderLineDraft Draft(Seat seat) => new(seat.Id, seat.Label, seat.GradeCode, 1_000);

    protected async Task<(long PerformanceId, List<Seat> Seats)> NewPerformanceAsync(int seatCount)
    {
        await using var db = Database.NewContext();
        var e = Event.Create(Guid.NewGuid(), "Test", "Concert", "Hall", "", Now);
        var map = SeatMap.Create(
            [new GradeDefinition("R", "R", 1_000, null)],
            Enumerable.Range(1, seatCount).Select(i => new SeatDefinition("Floor", "A", i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Floor A-{i}", i, 0, "R")).ToList());
        var performance = e.AddPerformance(new PerformanceSchedule(Now.AddDays(30), Now.AddDays(-1), Now.AddDays(29)), PerformanceRules.Default, map, Now);
        db.Events.Add(e);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.SaveChangesAsync();
            await new SeatMapWriter(db).WriteAsync(performance.Id, map.Seats, CancellationToken.None);
            await transaction.CommitAsync();
        }

        return (performance.Id, await db.Seats.Where(s => s.PerformanceId == performance.Id).OrderBy(s => s.Id).ToListAsync());
    }
}

public sealed class GroupCommitOrderWriterTests(SqliteDatabase database) : PendingOrderWriterContract(database), IClassFixture<SqliteDatabase>
{
    private readonly Support.RecordingSeatChangeFeed _seatChanges = new();
    private SqliteGroupCommitOrderWriter _writer = null!;

    public override Task InitializeAsync()
    {
        _writer = new SqliteGroupCommitOrderWriter(Database.ConnectionString, "NORMAL", _seatChanges, NullLogger<SqliteGroupCommitOrderWriter>.Instance);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _writer.DisposeAsync();

    [Fact]
    public async Task Holds_that_wait_for_the_writer_commit_together_and_each_is_judged_alone()
    {
        var (performanceId, seats) = await NewPerformanceAsync(60);
        var fan = Guid.NewGuid();
        var gate = SqliteWriteGate.For(Database.ConnectionString);
        var before = _writer.Committed;
        Task<PlaceOrderOutcome>[] placing;
        await gate.WaitAsync();
        try
        {
            // 50 holds arrive while another writer has the file: 48 on free seats, one on a seat an earlier hold
            // of the same batch takes, and one more seat for a fan at the limit.
            var orders = Enumerable.Range(0, 48).Select(i => Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[i])], Now, Hold)).ToList();
            orders.Add(Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[48]), Draft(seats[0])], Now, Hold));
            orders.Add(Order.Place(fan, performanceId, [Draft(seats[49]), Draft(seats[50])], Now, Hold));
            placing = orders.Select(o => _writer.PlaceAsync(o, o.FanId == fan ? 1 : 4, Now, CancellationToken.None)).ToArray();
        }
        finally
        {
            gate.Release();
        }

        var outcomes = await Task.WhenAll(placing);

        Assert.All(outcomes.Take(48), o => Assert.Equal(PlaceOrderStatus.Placed, o.Status));
        Assert.Equal(PlaceOrderStatus.SeatsTaken, outcomes[48].Status);
        Assert.Equal([seats[0].Id], outcomes[48].TakenSeatIds);
        Assert.Equal(PlaceOrderStatus.FanLimit, outcomes[49].Status);
        var after = _writer.Committed;
        Assert.Equal(50, after.Holds - before.Holds);
        Assert.InRange(after.Batches - before.Batches, 1, 2);
        await using var db = Database.NewContext();
        Assert.Equal(48, await db.OrderLines.CountAsync(l => l.PerformanceId == performanceId && l.IsLive));
        Assert.False(await db.OrderLines.AnyAsync(l => l.PerformanceId == performanceId && (l.SeatId == seats[48].Id || l.SeatId == seats[49].Id)));

        // The live seat map hears of exactly the committed holds, as held, before they are answered.
        var published = _seatChanges.Published.Where(p => p.PerformanceId == performanceId).Select(p => p.Change).ToList();
        Assert.Equal(seats.Take(48).Select(s => s.Id).Order(), published.Select(c => c.SeatId).Order());
        Assert.All(published, c => Assert.Equal(Application.Catalog.SeatStatus.Held, c.Status));
    }

    [Fact]
    public async Task A_fan_racing_their_own_orders_gets_exactly_the_limit_because_the_count_is_inside_the_write()
    {
        var (performanceId, seats) = await NewPerformanceAsync(20);
        var fan = Guid.NewGuid();
        var orders = Enumerable.Range(0, 10).Select(i => Order.Place(fan, performanceId, [Draft(seats[2 * i]), Draft(seats[(2 * i) + 1])], Now, Hold)).ToList();

        var outcomes = await Task.WhenAll(orders.Select(o => Task.Run(() => _writer.PlaceAsync(o, 4, Now, CancellationToken.None))));

        Assert.Equal(2, outcomes.Count(o => o.Status == PlaceOrderStatus.Placed));
        Assert.Equal(8, outcomes.Count(o => o.Status == PlaceOrderStatus.FanLimit));
    }

    [Fact]
    public async Task A_hold_the_database_refuses_for_another_reason_fails_alone_and_the_writer_goes_on()
    {
        var (performanceId, seats) = await NewPerformanceAsync(2);

        // An order for a performance that does not exist breaks a foreign key, which is not a seat conflict:
        // that hold fails alone, the writer goes on.
        var broken = Order.Place(Guid.NewGuid(), performanceId + 1_000_000, [Draft(seats[0])], Now, Hold);
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => _writer.PlaceAsync(broken, 4, Now, CancellationToken.None));

        var fine = await _writer.PlaceAsync(Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[0])], Now, Hold), 4, Now, CancellationToken.None);
        Assert.Equal(PlaceOrderStatus.Placed, fine.Status);
    }

    [Fact]
    public async Task The_seat_map_hears_the_lapsed_hold_s_seats_come_back_before_the_new_hold_takes_its_own()
    {
        var (performanceId, seats) = await NewPerformanceAsync(3);
        var placedAt = Now - Hold - TimeSpan.FromSeconds(1);
        Assert.Equal(PlaceOrderStatus.Placed, (await _writer.PlaceAsync(Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[0]), Draft(seats[1])], placedAt, Hold), 4, placedAt, CancellationToken.None)).Status);
        var before = _seatChanges.Published.Count(p => p.PerformanceId == performanceId);

        var outcome = await _writer.PlaceAsync(Order.Place(Guid.NewGuid(), performanceId, [Draft(seats[1]), Draft(seats[2])], Now, Hold), 4, Now, CancellationToken.None);

        Assert.Equal(PlaceOrderStatus.Placed, outcome.Status);
        var published = _seatChanges.Published.Where(p => p.PerformanceId == performanceId).Skip(before).Select(p => (p.Change.SeatId, p.Change.Status)).ToList();
        Assert.Equal(
            [(seats[0].Id, SeatStatus.Available), (seats[1].Id, SeatStatus.Available), (seats[1].Id, SeatStatus.Held), (seats[2].Id, SeatStatus.Held)],
            published);
    }

    protected override Task<PlaceOrderOutcome> PlaceAsync(Order order, int maxSeatsPerFan, DateTimeOffset now) =>
        _writer.PlaceAsync(order, maxSeatsPerFan, now, CancellationToken.None);
}

public sealed class EfOrderWriterTests(SqliteDatabase database) : PendingOrderWriterContract(database), IClassFixture<SqliteDatabase>
{
    protected override async Task<PlaceOrderOutcome> PlaceAsync(Order order, int maxSeatsPerFan, DateTimeOffset now)
    {
        await using var db = Database.NewContext();
        return await new EfPendingOrderWriter(db, new UniqueViolationDetector()).PlaceAsync(order, maxSeatsPerFan, now, CancellationToken.None);
    }
}
