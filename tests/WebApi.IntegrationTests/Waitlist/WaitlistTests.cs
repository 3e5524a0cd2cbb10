using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Waitlist;
using Ticketing.WebApi.IntegrationTests.Payments;

namespace Ticketing.WebApi.IntegrationTests.Waitlist;

/// <summary>
/// The cancellation waitlist over real HTTP, a real SQLite file and the fake Toss server, on a manual clock: offers in
/// join order under a burst of refunds, a lapsed offer passing on, and the performance's rule for returned seats.
/// </summary>
public sealed class WaitlistTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Thirty_refunds_at_once_offer_thirty_seats_to_a_hundred_fans_in_join_order_none_twice()
    {
        await SetRuleAsync("Waitlist");

        // 30 paid seats (single-seat orders of 8 buyers: 4 seats per fan is the demo's limit).
        var paid = new List<(HttpClient Fan, string OrderId, long SeatId)>();
        for (var i = 0; i < 30; i++)
        {
            var buyer = await _p.Api.FanAsync($"buyer-{i / 4}@test.ticketing");
            var seat = 4101L + i;
            var (orderId, amount) = await PaymentApi.HoldAsync(buyer, seat);
            Assert.Equal(HttpStatusCode.OK, (await PaymentApi.ConfirmAsync(buyer, _p.Checkout(orderId, amount), orderId, amount)).StatusCode);
            paid.Add((buyer, orderId, seat));
        }

        // 100 fans join one after another (a millisecond apart): the first 10 want 2 seats each, the others 1.
        var fans = new List<(HttpClient Client, Guid Id, int Seats)>();
        for (var i = 0; i < 100; i++)
        {
            var fan = await _p.Api.FanAsync($"waiting-{i:D3}@test.ticketing");
            var seats = i < 10 ? 2 : 1;
            var joined = await fan.PostAsJsonAsync("/api/performances/1/waitlist", new { seats });
            Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
            Assert.Equal(i + 1, (await PaymentApi.JsonAsync(joined)).GetProperty("position").GetInt32());
            fans.Add((fan, await FanIdAsync($"waiting-{i:D3}@test.ticketing"), seats));
            _p.Api.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var refunds = await Task.WhenAll(paid.Select(p => p.Fan.PostAsJsonAsync($"/api/orders/{p.OrderId}/cancellation", new { })));

        Assert.All(refunds, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var offers = await _p.QueryAsync(db => db.WaitlistOffers.AsNoTracking().ToListAsync());
        var offerOrders = await _p.QueryAsync(db => db.Orders.AsNoTracking().Include(o => o.Lines)
            .Where(o => db.WaitlistOffers.Any(w => w.OrderId == o.Id)).ToListAsync());
        var offeredSeats = offerOrders.SelectMany(o => o.Lines.Select(l => l.SeatId)).ToList();

        // Every returned seat is offered, exactly once, each in a pending order with the offer's own deadline.
        Assert.Equal(paid.Select(p => p.SeatId).Order(), offeredSeats.Order());
        Assert.All(offerOrders, o =>
        {
            Assert.Equal(OrderStatus.Pending, o.Status);
            Assert.Equal(TimeSpan.FromMinutes(30), o.ExpiresAt - o.CreatedAt);
        });

        // In join order: the first 10 fans got their 2 seats (in one or two offers), the next 10 one, nobody else any.
        var seatsByFan = offerOrders.GroupBy(o => o.FanId).ToDictionary(g => g.Key, g => g.Sum(o => o.Lines.Count));
        for (var i = 0; i < fans.Count; i++)
        {
            var expected = i < 20 ? fans[i].Seats : 0;
            Assert.Equal(expected, seatsByFan.GetValueOrDefault(fans[i].Id));
        }

        // The database and the lock store agree: each seat is live once, and held under its offer.
        var live = await _p.QueryAsync(db => db.OrderLines.AsNoTracking().Where(l => l.PerformanceId == 1 && l.IsLive && l.SeatId >= 4101 && l.SeatId < 4131).ToListAsync());
        Assert.Equal(30, live.Count);
        Assert.Equal(30, live.Select(l => l.SeatId).Distinct().Count());
        var holders = await HoldersAsync([.. paid.Select(p => p.SeatId)]);
        foreach (var order in offerOrders)
        {
            Assert.All(order.Lines, l => Assert.Equal(order.Number, holders[l.SeatId]));
        }

        // The 21st fan is now first in line; the first fan sees the pending offer on their entry.
        var next = await fans[20].Client.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me");
        Assert.Equal(1, next.GetProperty("position").GetInt32());
        Assert.Equal("waiting", next.GetProperty("status").GetString());
        var first = await fans[0].Client.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me");
        Assert.Equal("served", first.GetProperty("status").GetString());
        Assert.All(first.GetProperty("offers").EnumerateArray(), o => Assert.Equal("pending", o.GetProperty("status").GetString()));

        // The organizer sees 80 fans waiting for 80 seats, 30 offers open (one per fan or per refund).
        var lengths = await (await _p.Api.OrganizerAsync()).GetFromJsonAsync<JsonElement>("/api/organizer/performances/1/waitlist");
        Assert.Equal(80, lengths.GetProperty("fans").GetInt32());
        Assert.Equal(80, lengths.GetProperty("seats").GetInt32());
        Assert.Equal(offers.Count, lengths.GetProperty("openOffers").GetInt32());
    }

    [Fact]
    public async Task An_offer_not_paid_in_time_passes_to_the_next_fan_who_hears_of_it_and_pays_it()
    {
        await SetRuleAsync("Waitlist");
        var (owner, orderId, _) = await PaidOrderAsync("lapse-owner", 4201);
        var first = await JoinAsync("lapse-first", seats: 1, grade: "A");
        var second = await JoinAsync("lapse-second", seats: 1, grade: "A");
        var vipOnly = await JoinAsync("lapse-vip", seats: 1, grade: "VIP");

        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { })).StatusCode);
        var offer = Assert.Single((await first.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me")).GetProperty("offers").EnumerateArray());
        Assert.Equal(4201, offer.GetProperty("seats")[0].GetProperty("seatId").GetInt64());
        var firstOffer = offer.GetProperty("orderId").GetString()!;

        // The second fan listens; the first lets the offer lapse.
        using var stream = await second.GetAsync("/api/waitlist/stream", HttpCompletionOption.ResponseHeadersRead);
        using var events = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal("event: ready", await events.ReadLineAsync());
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(30));

        // Past the offer's deadline but before the expiry runs, the public still cannot take the seat (the lock and
        // the database both keep it for the waitlist).
        var sniper = await _p.Api.FanAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await sniper.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 4201L } })).StatusCode);
        _p.Api.Clock.Advance(HoldSeatsHandler.LockGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Conflict, (await sniper.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 4201L } })).StatusCode);
        var expiry = await _p.SendAsync(new ExpireDueOrders());

        Assert.Equal(1, expiry.Expired);
        Assert.Equal(OrderStatus.Expired, (await _p.OrderAsync(firstOffer)).Status);
        var notice = await NextEventAsync(events, "offer");
        var secondOffer = notice.GetProperty("orderId").GetString()!;
        Assert.NotEqual(firstOffer, secondOffer);
        Assert.Equal(4201, notice.GetProperty("seats")[0].GetProperty("seatId").GetInt64());
        Assert.Equal(_p.Api.Clock.GetUtcNow().AddMinutes(30), notice.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal($"{secondOffer}", (await HoldersAsync(4201))[4201]);
        Assert.Equal(0, (await vipOnly.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me")).GetProperty("offers").GetArrayLength());

        // The first fan is not offered again; the public cannot take the seat; the second fan pays with no pass.
        var firstEntry = await first.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me");
        Assert.Equal("expired", firstEntry.GetProperty("offers")[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await (await _p.Api.FanAsync()).PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 4201L } })).StatusCode);
        var amount = notice.GetProperty("totalAmount").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await PaymentApi.ConfirmAsync(second, _p.Checkout(secondOffer, amount), secondOffer, amount)).StatusCode);
        Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(secondOffer)).Status);
        Assert.Equal($"sold:{secondOffer}", (await HoldersAsync(4201))[4201]);
    }

    [Fact]
    public async Task A_refund_during_the_open_sale_goes_where_the_performance_rule_says()
    {
        var waiting = await JoinAsync("rule-waiting", seats: 1, grade: null);

        // Public (the default): the refunded seat is back on the seat map and a public hold takes it.
        var (publicOwner, publicOrder, _) = await PaidOrderAsync("rule-public", 4301);
        Assert.Equal(HttpStatusCode.OK, (await publicOwner.PostAsJsonAsync($"/api/orders/{publicOrder}/cancellation", new { })).StatusCode);
        Assert.Equal(0, (await waiting.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me")).GetProperty("offers").GetArrayLength());
        Assert.Empty(await HoldersAsync(4301));
        Assert.Equal(HttpStatusCode.Created, (await (await _p.Api.FanAsync()).PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 4301L } })).StatusCode);

        // Waitlist: the organizer switches the rule; the next refund is offered to the waiting fan, not the map.
        var performance = await SetRuleAsync("Waitlist");
        Assert.Equal("Waitlist", performance.GetProperty("returnedSeats").GetString());
        var (waitlistOwner, waitlistOrder, _) = await PaidOrderAsync("rule-waitlist", 4302);
        Assert.Equal(HttpStatusCode.OK, (await waitlistOwner.PostAsJsonAsync($"/api/orders/{waitlistOrder}/cancellation", new { })).StatusCode);
        var offer = Assert.Single((await waiting.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me")).GetProperty("offers").EnumerateArray());
        Assert.Equal(4302, offer.GetProperty("seats")[0].GetProperty("seatId").GetInt64());
        var taken = await (await _p.Api.FanAsync()).PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 4302L } });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
    }

    [Fact]
    public async Task A_hold_that_expires_after_sales_closed_goes_to_the_waitlist_and_a_declined_offer_passes_on()
    {
        var holder = await _p.Api.FanAsync("closing-holder@test.ticketing");
        var (holdId, _) = await PaymentApi.HoldAsync(holder, 4401, 4402);
        var together = await JoinAsync("closing-together", seats: 2, grade: "A", together: true);
        var single = await JoinAsync("closing-single", seats: 1, grade: "A");

        // Sales close (the rule stays Public): the unpaid hold expires after that, and nobody else could buy it.
        var now = _p.Api.Clock.GetUtcNow();
        await PutSettingsAsync(salesCloseAt: now.AddMinutes(1), returnedSeats: "Public");
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(11));
        await _p.SendAsync(new ExpireDueOrders());

        Assert.Equal(OrderStatus.Expired, (await _p.OrderAsync(holdId)).Status);
        var offer = Assert.Single((await together.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me")).GetProperty("offers").EnumerateArray());
        Assert.Equal([4401L, 4402L], offer.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("seatId").GetInt64()));

        // The pair declines: both seats pass on; the single fan takes one, the other stays free (nobody else waits).
        Assert.Equal(HttpStatusCode.OK, (await together.DeleteAsync($"/api/orders/{offer.GetProperty("orderId").GetString()}")).StatusCode);
        var passed = Assert.Single((await single.GetFromJsonAsync<JsonElement>("/api/performances/1/waitlist/me")).GetProperty("offers").EnumerateArray());
        Assert.Equal(4401, passed.GetProperty("seats")[0].GetProperty("seatId").GetInt64());
        Assert.Equal(1, passed.GetProperty("seats").GetArrayLength());
    }

    [Fact]
    public async Task Joining_is_for_signed_in_fans_once_with_valid_seats_and_grade_and_leaving_ends_the_wait()
    {
        var fan = await JoinAsync("rules-fan", seats: 2, grade: "R");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _p.Api.CreateClient().PostAsJsonAsync("/api/performances/1/waitlist", new { seats = 1 })).StatusCode);
        await Api.AssertProblemAsync(await fan.PostAsJsonAsync("/api/performances/1/waitlist", new { seats = 1 }), HttpStatusCode.Conflict, "waitlist.already_joined");
        var other = await _p.Api.FanAsync();
        await Api.AssertValidationAsync(await other.PostAsJsonAsync("/api/performances/1/waitlist", new { seats = 5 }), "seats");
        await Api.AssertValidationAsync(await other.PostAsJsonAsync("/api/performances/1/waitlist", new { seats = 1, gradeCode = "ZZ" }), "gradeCode");
        await Api.AssertProblemAsync(await other.PostAsJsonAsync("/api/performances/999/waitlist", new { seats = 1 }), HttpStatusCode.NotFound, "performance.not_found");
        await Api.AssertProblemAsync(await other.GetAsync("/api/performances/1/waitlist/me"), HttpStatusCode.NotFound, "waitlist.not_joined");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/organizer/performances/1/waitlist")).StatusCode);

        var left = await fan.DeleteAsync("/api/performances/1/waitlist/me");
        Assert.Equal("left", (await PaymentApi.JsonAsync(left)).GetProperty("status").GetString());
        await Api.AssertProblemAsync(await fan.DeleteAsync("/api/performances/1/waitlist/me"), HttpStatusCode.Conflict, "waitlist.not_waiting");
        var again = await fan.PostAsJsonAsync("/api/performances/1/waitlist", new { seats = 1 });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("waiting", (await PaymentApi.JsonAsync(again)).GetProperty("status").GetString());
    }

    private static async Task<JsonElement> NextEventAsync(StreamReader events, string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        while ((line = await events.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line == $"event: {name}")
            {
                var data = await events.ReadLineAsync(timeout.Token);
                return JsonDocument.Parse(data!["data: ".Length..]).RootElement;
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }

    private async Task<HttpClient> JoinAsync(string who, int seats, string? grade, bool together = false)
    {
        var fan = await _p.Api.FanAsync($"{who}@test.ticketing");
        var joined = await fan.PostAsJsonAsync("/api/performances/1/waitlist", new { seats, gradeCode = grade, together });
        Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        _p.Api.Clock.Advance(TimeSpan.FromMilliseconds(1));
        return fan;
    }

    private async Task<(HttpClient Fan, string OrderId, long Amount)> PaidOrderAsync(string who, params long[] seats)
    {
        var fan = await _p.Api.FanAsync($"{who}@test.ticketing");
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, seats);
        Assert.Equal(HttpStatusCode.OK, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount)).StatusCode);
        return (fan, orderId, amount);
    }

    private Task<JsonElement> SetRuleAsync(string rule) => PutSettingsAsync(null, rule);

    /// <summary>The organizer changes performance 1's settings through the API (its other settings as they are).</summary>
    private async Task<JsonElement> PutSettingsAsync(DateTimeOffset? salesCloseAt, string returnedSeats)
    {
        var p = await _p.QueryAsync(db => db.Performances.AsNoTracking().SingleAsync(x => x.Id == 1));
        var organizer = await _p.Api.OrganizerAsync();
        var response = await organizer.PutAsJsonAsync("/api/organizer/performances/1", new
        {
            p.StartsAt,
            p.SalesOpenAt,
            SalesCloseAt = salesCloseAt ?? p.SalesCloseAt,
            HoldSeconds = (int)p.HoldDuration.TotalSeconds,
            p.MaxSeatsPerOrder,
            p.MaxSeatsPerFan,
            p.RequiresQueuePass,
            p.WaitingRoomId,
            returnedSeats,
            waitlistOfferMinutes = 30,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await PaymentApi.JsonAsync(response);
    }

    private Task<Guid> FanIdAsync(string email) =>
        _p.QueryAsync(db => db.Users.AsNoTracking().Where(u => u.NormalizedEmail == Domain.Accounts.User.Normalize(email)).Select(u => u.Id).SingleAsync());

    private async Task<IReadOnlyDictionary<long, string>> HoldersAsync(params long[] seats)
    {
        await using var scope = _p.Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISeatLock>().GetHoldersAsync(1, seats);
    }
}
