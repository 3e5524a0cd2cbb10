using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.IntegrationTests;

/// <summary>What the database itself guarantees, on a real migrated SQLite file.</summary>
public sealed class PersistenceTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private readonly IUniqueViolationDetector _uniqueViolations = new UniqueViolationDetector();

    [Fact]
    public async Task Migrations_leave_nothing_pending_on_a_fresh_file()
    {
        await using var db = database.NewContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task A_seat_cannot_be_in_two_live_orders()
    {
        var (performanceId, seat) = await NewPerformanceAsync();
        await using (var first = database.NewContext())
        {
            first.Orders.Add(Order.Place(Guid.NewGuid(), performanceId, [Draft(seat)], Now, TimeSpan.FromMinutes(10)));
            await first.SaveChangesAsync();
        }

        await using var second = database.NewContext();
        second.Orders.Add(Order.Place(Guid.NewGuid(), performanceId, [Draft(seat)], Now, TimeSpan.FromMinutes(10)));
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());

        Assert.True(_uniqueViolations.IsUniqueViolation(ex));
    }

    [Fact]
    public async Task A_cancelled_order_frees_its_seat_for_another_order()
    {
        var (performanceId, seat) = await NewPerformanceAsync();
        var order = Order.Place(Guid.NewGuid(), performanceId, [Draft(seat)], Now, TimeSpan.FromMinutes(10));
        await using (var db = database.NewContext())
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
            order.Cancel(Now.AddMinutes(1));
            await db.SaveChangesAsync();
        }

        await using var again = database.NewContext();
        again.Orders.Add(Order.Place(Guid.NewGuid(), performanceId, [Draft(seat)], Now, TimeSpan.FromMinutes(10)));
        await again.SaveChangesAsync();

        Assert.Equal(1, await again.OrderLines.CountAsync(l => l.SeatId == seat.Id && l.IsLive));
    }

    [Fact]
    public async Task An_email_is_unique_whatever_its_case()
    {
        var email = $"fan-{Guid.NewGuid():N}@tests.ticketing";
        await using (var db = database.NewContext())
        {
            db.Users.Add(User.Register(email, "Fan", "hash", Role.Fan, Now));
            await db.SaveChangesAsync();
        }

        await using var other = database.NewContext();
        other.Users.Add(User.Register(email.ToUpperInvariant(), "Fan", "hash", Role.Fan, Now));
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => other.SaveChangesAsync());

        Assert.True(_uniqueViolations.IsUniqueViolation(ex));
    }

    [Fact]
    public async Task Instants_round_trip_in_utc_and_compare_in_sql()
    {
        var (performanceId, _) = await NewPerformanceAsync();
        await using var db = database.NewContext();

        var stored = await db.Performances.SingleAsync(p => p.Id == performanceId);
        var cutoff = Now.AddDays(29).ToOffset(TimeSpan.FromHours(9));
        var found = await db.Performances.AnyAsync(p => p.Id == performanceId && p.StartsAt > cutoff);

        Assert.Equal(Now.AddDays(30), stored.StartsAt);
        Assert.Equal(TimeSpan.Zero, stored.StartsAt.Offset);
        Assert.True(found);
    }

    [Fact]
    public async Task Demo_data_seeds_an_empty_catalog_once_with_two_five_thousand_seat_performances()
    {
        // A database of its own: the seeder only seeds a catalog without events.
        var fresh = new SqliteDatabase();
        await fresh.InitializeAsync();
        try
        {
            await using var db = fresh.NewContext();
            var hasher = new AspNetPasswordHasher();

            await DemoData.SeedAsync(db, hasher, Now, NullLogger.Instance, CancellationToken.None);
            await DemoData.SeedAsync(db, hasher, Now, NullLogger.Instance, CancellationToken.None);

            var demo = await db.Events.Include(e => e.Performances).SingleAsync();
            Assert.Equal(DemoData.EventTitle, demo.Title);
            Assert.Equal(EventStatus.Published, demo.Status);
            Assert.Equal([5_000, 5_000], demo.Performances.Select(p => p.SeatCount));
            Assert.All(demo.Performances, p => Assert.True(p.IsOnSale(Now)));
            Assert.Equal(2, await db.Users.CountAsync());
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public void The_demo_hall_has_five_thousand_seats_in_four_grades()
    {
        var hall = DemoData.BuildHall();

        Assert.Equal(5_000, hall.Seats.Count);
        Assert.Equal(["VIP", "R", "S", "A"], hall.Grades.Select(g => g.Code));
        Assert.Equal(5_000, hall.Seats.Select(s => s.Label).Distinct().Count());
    }

    private static OrderLineDraft Draft(Seat seat) => new(seat.Id, seat.Label, seat.GradeCode, 1_000);

    private async Task<(long PerformanceId, Seat Seat)> NewPerformanceAsync()
    {
        await using var db = database.NewContext();
        var e = Event.Create(Guid.NewGuid(), "Test", "Concert", "Hall", "", Now);
        var map = SeatMap.Create([new GradeDefinition("R", "R", 1_000, null)], [new SeatDefinition("Floor", "A", "1", "Floor A-1", 0, 0, "R")]);
        var performance = e.AddPerformance(new PerformanceSchedule(Now.AddDays(30), Now, Now.AddDays(29)), PerformanceRules.Default, map, Now);
        db.Events.Add(e);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.SaveChangesAsync();
            await new SeatMapWriter(db).WriteAsync(performance.Id, map.Seats, CancellationToken.None);
            await transaction.CommitAsync();
        }

        return (performance.Id, await db.Seats.SingleAsync(s => s.PerformanceId == performance.Id));
    }
}
