using Microsoft.EntityFrameworkCore;
using NSubstitute;
using Ticketing.Application.Common;
using Ticketing.Application.Events;
using Ticketing.Application.Payments;
using Ticketing.Application.UnitTests.Support;

namespace Ticketing.Application.UnitTests.Events;

/// <summary>The organizer's sales figures, on a 6-seat performance: seats 1–3 VIP (200,000 won), 4–6 R (100,000 won).</summary>
public sealed class GetPerformanceSalesTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset StartsAt = HandlerDatabase.Start.AddDays(30);

    private readonly PaymentPorts _ports = new();
    private Stage _stage = null!;
    private Guid _organizer;

    public async Task InitializeAsync()
    {
        _stage = await Database.SeedPerformanceAsync(startsAt: StartsAt);
        await using var db = Database.NewContext();
        _organizer = await db.Events.Where(e => e.Id == _stage.EventId).Select(e => e.OrganizerId).SingleAsync();
        _ports.Gateway.CancelAsync(default!, default!, default!, default, default).ReturnsForAnyArgs(PaymentPorts.Cancelled);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _ports.Dispose();

    private HandlerDatabase Database => _ports.Database;

    [Fact]
    public async Task Counts_sold_held_and_available_per_grade_as_the_seat_map_does()
    {
        var now = Database.Clock.GetUtcNow();
        await Database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(1)]);
        // Past its deadline and not yet closed by the expiry job: its seat is free again, as on the seat map.
        await Database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(4)], placedAt: now.AddMinutes(-11));
        // Waiting on the payment provider's answer: still held.
        await Database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(6)], then: o => o.BeginPayment("pk_open", now, now.AddMinutes(2)));
        await Database.SeedPaidOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(2), _stage.SeatId(5)], now.AddMinutes(-5));

        var sales = (await Handle()).Value;

        var vip = sales.Grades.Single(g => g.Code == "VIP");
        var r = sales.Grades.Single(g => g.Code == "R");
        Assert.Equal(new GradeSales("VIP", "VIP seat", 200_000, null, 3, 1, 1, 1, 200_000), vip);
        Assert.Equal(new GradeSales("R", "R seat", 100_000, null, 3, 1, 1, 1, 100_000), r);
        Assert.Equal(["VIP", "R"], sales.Grades.Select(g => g.Code));
        Assert.Equal(new SeatCounts(6, 2, 2, 2), sales.Totals);
        Assert.Equal(new SalesRevenue(300_000, 0, 300_000, 1), sales.Revenue);
        Assert.Equal(new RefundTotals(0, 0, 0, 0), sales.Refunds);
        Assert.Equal(new CheckInTotals(0, 2), sales.CheckIns);
        Assert.Equal((_stage.PerformanceId, _stage.EventId, "Concert", StartsAt, now), (sales.PerformanceId, sales.EventId, sales.EventTitle, sales.StartsAt, sales.AsOf));
    }

    [Fact]
    public async Task A_hold_stops_counting_at_its_deadline_without_waiting_for_the_expiry_job()
    {
        await Database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(1), _stage.SeatId(2)]);
        Assert.Equal(new SeatCounts(6, 0, 2, 4), (await Handle()).Value.Totals);

        Database.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(new SeatCounts(6, 0, 0, 6), (await Handle()).Value.Totals);
    }

    [Fact]
    public async Task A_refund_returns_the_seat_to_sale_and_revenue_keeps_only_the_fee()
    {
        var fan = Guid.NewGuid();
        var (order, _, _) = await Database.SeedPaidOrderAsync(_stage, fan, [_stage.SeatId(1), _stage.SeatId(5)], HandlerDatabase.Start);
        // Five days before the show the fee is 10%: the R seat (100,000) refunds 90,000 and the organizer keeps 10,000.
        Database.Clock.Advance(StartsAt - TimeSpan.FromDays(5) - HandlerDatabase.Start);
        Database.Db.ChangeTracker.Clear();
        var refund = await new CancelPaidOrderHandler(Database.Db, _ports.Settlement(), _ports.Clock, _ports.Options)
            .Handle(new CancelPaidOrder(fan, order.Id, [_stage.SeatId(5)]), CancellationToken.None);
        Assert.Equal((90_000L, "done"), (refund.Value.RefundAmount, refund.Value.Status));

        var sales = (await Handle()).Value;

        Assert.Equal(new SalesRevenue(300_000, 90_000, 210_000, 1), sales.Revenue);
        Assert.Equal(new RefundTotals(1, 90_000, 10_000, 0), sales.Refunds);
        Assert.Equal((1, 0, 2, 200_000L), (sales.Grades[0].Sold, sales.Grades[0].Held, sales.Grades[0].Available, sales.Grades[0].SoldAmount));
        Assert.Equal((0, 0, 3, 0L), (sales.Grades[1].Sold, sales.Grades[1].Held, sales.Grades[1].Available, sales.Grades[1].SoldAmount));
        Assert.Equal(new CheckInTotals(0, 1), sales.CheckIns);
    }

    [Fact]
    public async Task Counts_the_tickets_checked_in_at_the_entrance()
    {
        var (_, _, tickets) = await Database.SeedPaidOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(1), _stage.SeatId(2), _stage.SeatId(3)], HandlerDatabase.Start);
        await using (var db = Database.NewContext())
        {
            foreach (var id in new[] { tickets[0].Id, tickets[2].Id })
            {
                var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
                ticket.CheckIn(_organizer, HandlerDatabase.Start.AddMinutes(1));
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal(new CheckInTotals(2, 3), (await Handle()).Value.CheckIns);
    }

    [Fact]
    public async Task Another_organizers_performance_is_not_found_and_an_admin_reads_any()
    {
        await Database.SeedPaidOrderAsync(_stage, Guid.NewGuid(), [_stage.SeatId(1)], HandlerDatabase.Start);

        var other = await Handle(new Actor(Guid.NewGuid(), IsAdmin: false));
        var missing = await Handle(new Actor(_organizer, IsAdmin: false), performanceId: _stage.PerformanceId + 1000);
        var admin = await Handle(new Actor(Guid.NewGuid(), IsAdmin: true));

        Assert.Equal((ErrorKind.NotFound, "performance.not_found"), (other.Error!.Kind, other.Error.Code));
        Assert.Equal((ErrorKind.NotFound, "performance.not_found"), (missing.Error!.Kind, missing.Error.Code));
        Assert.Equal(1, admin.Value.Totals.Sold);
    }

    private Task<Result<PerformanceSalesReport>> Handle(Actor? actor = null, long? performanceId = null) =>
        new GetPerformanceSalesHandler(Database.Db, Database.Clock)
            .Handle(new GetPerformanceSales(actor ?? new Actor(_organizer, IsAdmin: false), performanceId ?? _stage.PerformanceId), CancellationToken.None);
}
