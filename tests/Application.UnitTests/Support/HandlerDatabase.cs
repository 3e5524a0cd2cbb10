using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Application.Events;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Application.UnitTests.Support;

/// <summary>
/// The database a handler unit test gives its handler, one per test.
/// </summary>
/// <remarks>
/// <para>
/// Choice: a real SQLite database in memory (<c>Data Source=:memory:</c>, one connection held open for the test's
/// life), created with <c>EnsureCreated</c> from the production model (<see cref="SqliteAppDbContext"/>). Every
/// port around the handler is an NSubstitute substitute; only <see cref="IAppDbContext"/> is real.
/// </para>
/// <para>
/// Why: the handlers query with LINQ, <c>Include</c> and <c>ChangeTracker</c>, and their money and seat decisions
/// rest on what the database enforces: the order's version as concurrency token, the unique indexes over live order
/// lines, live tickets and idempotency keys, the foreign keys. A substituted <see cref="IAppDbContext"/> would test
/// our mock of EF, and EF InMemory enforces none of these (no unique index, no filtered index, no transaction).
/// In-memory SQLite has them all, costs a few milliseconds per test and leaves no file behind; the schema is
/// created once and copied into each test's database. The test project
/// references src/Infrastructure for this model only; the architecture tests check the src projects, not tests.
/// </para>
/// <para>
/// Races are staged, not timed: <see cref="Saves"/> runs an action just before the handler's next save (another
/// instance moving the order's version) or fails that save, so no test waits on a thread or a clock.
/// </para>
/// </remarks>
public sealed class HandlerDatabase : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The schema, created once per test run; each test starts from a copy (a backup between in-memory databases).</summary>
    private static readonly Lazy<SqliteConnection> Template = new(CreateTemplate);

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly ServiceProvider _services;

    public HandlerDatabase()
    {
        _connection.Open();
        lock (Template)
        {
            Template.Value.BackupDatabase(_connection);
        }

        _services = new ServiceCollection().AddScoped<IAppDbContext>(_ => NewContext()).BuildServiceProvider();
        Db = NewContext();
    }

    public ManualTimeProvider Clock { get; } = new(Start);

    public SaveHook Saves { get; } = new();

    /// <summary>The context the handler under test uses.</summary>
    public SqliteAppDbContext Db { get; }

    /// <summary>Scopes whose <see cref="IAppDbContext"/> is a context of this database (for handlers that open their own).</summary>
    public IServiceScopeFactory Scopes => _services.GetRequiredService<IServiceScopeFactory>();

    private static SqliteConnection CreateTemplate()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).Options);
        db.Database.EnsureCreated();
        return connection;
    }

    public SqliteAppDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(_connection).AddInterceptors(Saves).Options);

    /// <summary>
    /// A published performance starting in 30 days, on sale since yesterday, with <paramref name="seats"/> seats:
    /// the first half VIP (200,000 won), the rest R (100,000 won).
    /// </summary>
    public async Task<Stage> SeedPerformanceAsync(int seats = 6, PerformanceRules? rules = null, DateTimeOffset? startsAt = null)
    {
        var starts = startsAt ?? Start.AddDays(30);
        var definitions = Enumerable.Range(1, seats)
            .Select(i => new SeatDefinition("Floor", "A", i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Floor A-{i}", i, 0, i <= (seats + 1) / 2 ? "VIP" : "R"))
            .ToList();
        var map = SeatMap.Create([new GradeDefinition("VIP", "VIP seat", 200_000, null), new GradeDefinition("R", "R seat", 100_000, null)], definitions);
        var show = Event.Create(Guid.NewGuid(), "Concert", "concert", "Hall", string.Empty, Start);
        var performance = show.AddPerformance(new PerformanceSchedule(starts, Start.AddDays(-1), starts.AddHours(-1)), rules ?? PerformanceRules.Default, map, Start);
        show.Publish(Start);

        await using var db = NewContext();
        db.Events.Add(show);
        await db.SaveChangesAsync();
        foreach (var seat in definitions)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Seats" ("PerformanceId", "Section", "Row", "Number", "Label", "X", "Y", "GradeCode")
                VALUES ({performance.Id}, {seat.Section}, {seat.Row}, {seat.Number}, {seat.Label}, {seat.X}, {seat.Y}, {seat.GradeCode})
                """);
        }

        var rows = await db.Seats.AsNoTracking().Where(s => s.PerformanceId == performance.Id).OrderBy(s => s.Id).ToListAsync();
        return new Stage(show.Id, performance.Id, rows);
    }

    /// <summary>A pending order of <paramref name="fanId"/> placed at <paramref name="placedAt"/> (the hold lasts 10 minutes).</summary>
    public async Task<Order> SeedPendingOrderAsync(Stage stage, Guid fanId, IReadOnlyList<long> seatIds, DateTimeOffset? placedAt = null, Action<Order>? then = null)
    {
        var order = stage.Place(fanId, seatIds, placedAt ?? Clock.GetUtcNow());
        then?.Invoke(order);
        await using var db = NewContext();
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        return order;
    }

    /// <summary>A paid order with its tickets and payment row, paid at <paramref name="paidAt"/>.</summary>
    public async Task<(Order Order, Payment Payment, IReadOnlyList<Ticket> Tickets)> SeedPaidOrderAsync(Stage stage, Guid fanId, IReadOnlyList<long> seatIds, DateTimeOffset paidAt, string paymentKey = "pk_paid")
    {
        var order = stage.Place(fanId, seatIds, paidAt.AddMinutes(-1));
        order.BeginPayment(paymentKey, paidAt, paidAt.AddMinutes(2));
        await using var db = NewContext();
        var startsAt = await db.Performances.Where(p => p.Id == stage.PerformanceId).Select(p => p.StartsAt).SingleAsync();
        var tickets = order.MarkPaid(paidAt, startsAt, RefundSchedule.Standard);
        var payment = Payment.Approved(order.Id, paymentKey, order.TotalAmount, "CARD", paidAt);
        db.Orders.Add(order);
        db.Tickets.AddRange(tickets);
        db.Payments.Add(payment);
        await db.SaveChangesAsync();
        return (order, payment, tickets);
    }

    /// <summary>The order as the database has it now, with its lines.</summary>
    public async Task<Order> ReadOrderAsync(Guid orderId)
    {
        await using var db = NewContext();
        return await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == orderId);
    }

    public async Task<List<T>> ReadAllAsync<T>()
        where T : class
    {
        await using var db = NewContext();
        return await db.Set<T>().AsNoTracking().ToListAsync();
    }

    /// <summary>Another process moves the order (its version), as a concurrent confirmation or expiry run would.</summary>
    public async Task BumpVersionAsync(Guid orderId)
    {
        await using var db = NewContext();
        await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Version, o => o.Version + 1));
    }

    public void Dispose()
    {
        Db.Dispose();
        _services.Dispose();
        _connection.Dispose();
    }
}

/// <summary>A seeded performance and its seats.</summary>
public sealed record Stage(long EventId, long PerformanceId, IReadOnlyList<Seat> Seats)
{
    public long SeatId(int number) => Seats[number - 1].Id;

    public long PriceOf(long seatId) => Seats.Single(s => s.Id == seatId).GradeCode == "VIP" ? 200_000 : 100_000;

    public Order Place(Guid fanId, IReadOnlyList<long> seatIds, DateTimeOffset now) =>
        Order.Place(fanId, PerformanceId, seatIds.Select(id => Seats.Single(s => s.Id == id)).Select(s => new OrderLineDraft(s.Id, s.Label, s.GradeCode, s.GradeCode == "VIP" ? 200_000 : 100_000)).ToList(), now, PerformanceRules.DefaultHoldDuration);

    /// <summary>The seat layout the layout cache would load for this performance.</summary>
    public SeatLayout Layout(bool published = true)
    {
        var n = Seats.Count;
        var columns = new SeatColumns(
            Seats.Select(s => s.Id).ToArray(), Seats.Select(s => s.Label).ToArray(), new int[n], Seats.Select(s => s.Row).ToArray(),
            Seats.Select(s => s.Number).ToArray(), Seats.Select(s => s.X).ToArray(), Seats.Select(s => s.Y).ToArray(),
            Seats.Select(s => s.GradeCode == "VIP" ? 0 : 1).ToArray());
        return new SeatLayout(PerformanceId, EventId, published, [new GradeDto("VIP", "VIP seat", 200_000, null), new GradeDto("R", "R seat", 100_000, null)], ["Floor"], columns);
    }
}

/// <summary>Stages what happens around the handler's next save: another writer first, or a failing database.</summary>
public sealed class SaveHook : SaveChangesInterceptor
{
    private readonly Queue<Func<Task>> _before = new();

    public int Saves { get; private set; }

    /// <summary>Runs <paramref name="action"/> once, just before the next save reaches the database.</summary>
    public void BeforeNextSave(Func<Task> action) => _before.Enqueue(action);

    /// <summary>The next save fails with <paramref name="exception"/>, nothing written.</summary>
    public void FailNextSave(Exception exception) => _before.Enqueue(() => Task.FromException(exception));

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saves++;
        if (_before.TryDequeue(out var action))
        {
            await action();
        }

        return result;
    }
}
