using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>Fans cancel paid orders: the fee schedule, partial cancels through cancelAmount, seats back on sale, tickets voided.</summary>
public sealed class RefundTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Cancelling_a_week_or_more_before_the_show_refunds_everything_and_returns_the_seats()
    {
        var (fan, orderId, amount) = await PaidOrderAsync(4001, 4002);

        var response = await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refund = await PaymentApi.JsonAsync(response);
        Assert.Equal(amount, refund.GetProperty("refundAmount").GetInt64());
        Assert.Equal(0, refund.GetProperty("feeAmount").GetInt64());
        Assert.Equal("refunded", refund.GetProperty("orderStatus").GetString());
        Assert.Equal(["CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.All(order.Lines, l => Assert.False(l.IsLive));
        Assert.All(await TicketsAsync(order.Id), t => Assert.Equal(TicketStatus.Voided, t.Status));
        Assert.Equal(PaymentStatus.Cancelled, (await _p.QueryAsync(db => db.Payments.SingleAsync(x => x.OrderId == order.Id))).Status);
        Assert.Empty(await HoldersAsync(4001, 4002));
        Assert.Equal(HttpStatusCode.Created, (await (await _p.Api.FanAsync()).PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 4001L, 4002L } })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { })).StatusCode);
    }

    [Fact]
    public async Task Nearer_the_show_the_fee_grows_and_a_partial_cancel_refunds_through_cancel_amount()
    {
        var (fan, orderId, amount) = await PaidOrderAsync(4011, 4012);
        var startsAt = await _p.QueryAsync(db => db.Performances.Where(x => x.Id == 1).Select(x => x.StartsAt).SingleAsync());
        _p.Api.Clock.Advance(startsAt - TimeSpan.FromDays(5) - _p.Api.Clock.GetUtcNow());
        await LogInAgainAsync(fan, 4011);

        var first = await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { 4011L } });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refund = await PaymentApi.JsonAsync(first);
        var price = refund.GetProperty("grossAmount").GetInt64();
        Assert.Equal(price / 10, refund.GetProperty("feeAmount").GetInt64());
        Assert.Equal(price - (price / 10), refund.GetProperty("refundAmount").GetInt64());
        Assert.Equal("paid", refund.GetProperty("orderStatus").GetString());
        Assert.Equal(["PARTIAL_CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));
        var payment = await _p.QueryAsync(db => db.Payments.SingleAsync(x => x.OrderId == Guid.Parse(orderId)));
        Assert.Equal(PaymentStatus.PartiallyCancelled, payment.Status);
        Assert.Equal(amount - (price - (price / 10)), payment.BalanceAmount);
        Assert.Empty(await HoldersAsync(4011));
        Assert.Equal($"sold:{orderId}", (await HoldersAsync(4012))[4012]);

        _p.Api.Clock.Advance(TimeSpan.FromDays(5) - TimeSpan.FromHours(12));
        await LogInAgainAsync(fan, 4011);
        var second = await PaymentApi.JsonAsync(await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { }));

        var rest = second.GetProperty("grossAmount").GetInt64();
        Assert.Equal(rest * 30 / 100, second.GetProperty("feeAmount").GetInt64());
        Assert.Equal("refunded", second.GetProperty("orderStatus").GetString());
        Assert.Equal(OrderStatus.Refunded, (await _p.OrderAsync(orderId)).Status);
        Assert.Equal(2, _p.Toss.Simulator.Refunds);
    }

    [Fact]
    public async Task Cancellation_is_refused_after_the_deadline_for_others_and_for_used_or_unknown_seats()
    {
        var (fan, orderId, _) = await PaidOrderAsync(4021, 4022);
        var stranger = await _p.Api.FanAsync();
        var (pendingId, _) = await PaymentApi.HoldAsync(stranger, 4023);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stranger.PostAsJsonAsync($"/api/orders/{pendingId}/cancellation", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { 4023L } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { 4021L, 4021L } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { -1L } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fan.PostAsync($"/api/orders/{orderId}/cancellation", new StringContent("{\"seatIds\":\"x\"}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fan.PostAsJsonAsync("/api/orders/nope/cancellation", new { })).StatusCode);

        await using (var scope = _p.Api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Persistence.AppDbContext>();
            (await db.Tickets.SingleAsync(t => t.SeatId == 4022 && t.OrderId == Guid.Parse(orderId))).CheckIn(Guid.NewGuid(), _p.Api.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        var used = await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { 4022L } });
        Assert.Equal(HttpStatusCode.Conflict, used.StatusCode);
        Assert.Equal("ticket.already_checked_in", (await PaymentApi.JsonAsync(used)).GetProperty("code").GetString());

        var startsAt = await _p.QueryAsync(db => db.Performances.Where(x => x.Id == 1).Select(x => x.StartsAt).SingleAsync());
        _p.Api.Clock.Advance(startsAt - TimeSpan.FromHours(1) - _p.Api.Clock.GetUtcNow());
        await LogInAgainAsync(fan, 4021);
        var late = await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { 4021L } });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("order.cancellation_closed", (await PaymentApi.JsonAsync(late)).GetProperty("code").GetString());
        Assert.Equal(0, _p.Toss.Simulator.Refunds);
    }

    [Fact]
    public async Task Concurrent_cancellations_of_one_order_refund_once()
    {
        var (fan, orderId, amount) = await PaidOrderAsync(4031, 4032);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { })));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Equal(1, _p.Toss.Simulator.Refunds);
        Assert.Equal(amount, (await _p.OrderAsync(orderId)).RefundedAmount);
    }

    [Fact]
    public async Task A_check_in_while_the_cancel_at_toss_is_in_flight_is_refused_and_the_refund_voids_the_ticket()
    {
        var (fan, orderId, _) = await PaidOrderAsync(4041);
        var code = await QrContentAsync(fan, orderId);
        var staff = await _p.Api.OrganizerAsync();
        _p.Toss.Faults = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal) ? new Fault(FaultKind.Delay, TimeSpan.FromMilliseconds(700)) : Fault.None;
        var requests = _p.Toss.Requests;

        var refund = fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { });
        await _p.Toss.WhenRequestsAsync(requests + 1, TimeSpan.FromSeconds(30));
        // Toss is processing the cancel: the ticket was taken out of use before it was sent.
        var checkIn = await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });

        Assert.Equal(HttpStatusCode.Conflict, checkIn.StatusCode);
        Assert.Equal("ticket.refund_pending", (await PaymentApi.JsonAsync(checkIn)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await refund).StatusCode);
        Assert.Equal(["CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));
        Assert.All(await TicketsAsync(Guid.Parse(orderId)), t => Assert.Equal(TicketStatus.Voided, t.Status));
        var again = await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });
        Assert.Equal("ticket.voided", (await PaymentApi.JsonAsync(again)).GetProperty("code").GetString());
        _p.Toss.Faults = null;
    }

    [Fact]
    public async Task A_check_in_racing_a_refund_lets_exactly_one_win_and_never_leaves_a_refunded_ticket_valid()
    {
        var orders = new List<(HttpClient Fan, string OrderId, string Code)>();
        for (var seat = 4051L; seat < 4063; seat++)
        {
            var (fan, orderId, _) = await PaidOrderAsync(seat);
            orders.Add((fan, orderId, await QrContentAsync(fan, orderId)));
        }

        var staff = await _p.Api.OrganizerAsync();
        var races = await Task.WhenAll(orders.Select(async o =>
        {
            var refund = o.Fan.PostAsJsonAsync($"/api/orders/{o.OrderId}/cancellation", new { });
            var checkIn = staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = o.Code });
            return (o.OrderId, Refund: await refund, CheckIn: await checkIn);
        }));

        foreach (var (orderId, refund, checkIn) in races)
        {
            // Exactly one wins; the loser is told why, never a 5xx.
            Assert.True((refund.StatusCode == HttpStatusCode.OK) ^ (checkIn.StatusCode == HttpStatusCode.OK), $"{orderId}: refund {(int)refund.StatusCode}, check-in {(int)checkIn.StatusCode}");
            var ticket = Assert.Single(await TicketsAsync(Guid.Parse(orderId)));
            var atToss = _p.Toss.Simulator.StatusesOf(orderId);
            if (refund.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(["CANCELED"], atToss);
                Assert.Equal(TicketStatus.Voided, ticket.Status);
                Assert.Contains((await PaymentApi.JsonAsync(checkIn)).GetProperty("code").GetString(), new[] { "ticket.refund_pending", "ticket.voided" });
            }
            else
            {
                Assert.Equal(["DONE"], atToss);
                Assert.Equal(TicketStatus.CheckedIn, ticket.Status);
                Assert.Equal(HttpStatusCode.Conflict, refund.StatusCode);
                Assert.Equal("ticket.already_checked_in", (await PaymentApi.JsonAsync(refund)).GetProperty("code").GetString());
                Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(orderId)).Status);
            }
        }
    }

    private async Task<string> QrContentAsync(HttpClient fan, string orderId)
    {
        var ticketId = (await _p.QueryAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.OrderId == Guid.Parse(orderId)))).Id;
        return (await fan.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tickets/{ticketId}")).GetProperty("qrContent").GetString()!;
    }

    private async Task<(HttpClient Fan, string OrderId, long Amount)> PaidOrderAsync(params long[] seats)
    {
        var fan = await _p.Api.FanAsync($"refund-{seats[0]}@test.ticketing");
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, seats);
        Assert.Equal(HttpStatusCode.OK, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount)).StatusCode);
        return (fan, orderId, amount);
    }

    /// <summary>Access tokens live an hour on the test's clock; after moving it by days the fan signs in again.</summary>
    private static Task LogInAgainAsync(HttpClient fan, long firstSeat) =>
        Holds.BookingApiFactory.LogInAsync(fan, $"refund-{firstSeat}@test.ticketing", "fan-password-1");

    private Task<List<Ticket>> TicketsAsync(Guid orderId) => _p.QueryAsync(db => db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId).ToListAsync());

    private async Task<IReadOnlyDictionary<long, string>> HoldersAsync(params long[] seats)
    {
        await using var scope = _p.Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISeatLock>().GetHoldersAsync(1, seats);
    }
}
