using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.IntegrationTests.Support;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.WebApi.IntegrationTests.Holds;

/// <summary>
/// The hold guarantees over HTTP. Runs once with seat locks in process and once against a real Redis:
/// the database's unique index and the lock store together must never let a seat be in two live orders.
/// </summary>
public abstract class HoldContract : IDisposable
{
    protected const long Performance = 1;

    private readonly List<BookingApiFactory> _factories = [];

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract string? RedisConnectionString { get; }

    protected BookingApiFactory NewApi(string? folder = null, ManualTimeProvider? clock = null, bool jobs = false, string? keyPrefix = null)
    {
        var factory = new BookingApiFactory(RedisConnectionString, folder, clock, jobs, keyPrefix);
        _factories.Add(factory);
        return factory;
    }

    [Fact]
    public async Task Two_hundred_fans_racing_for_one_seat_get_exactly_one_hold()
    {
        var api = NewApi();
        var fans = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => api.FanAsync()));

        var answers = await Task.WhenAll(fans.Select(fan => fan.PostAsJsonAsync($"/api/performances/{Performance}/holds", new { seatIds = new[] { 7L } })));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(199, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        foreach (var conflict in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
        {
            var problem = await ProblemAsync(conflict);
            Assert.Equal("seats.taken", problem.GetProperty("code").GetString());
            Assert.Equal([7L], problem.GetProperty("takenSeatIds").EnumerateArray().Select(e => e.GetInt64()));
        }

        await AssertStoresAgreeAsync(api, Enumerable.Range(1, 10).Select(i => (long)i).ToList());
    }

    [Fact]
    public async Task Two_hundred_fans_racing_for_five_hot_seats_get_exactly_five_holds_and_a_lapsed_one_goes_to_exactly_one_fan()
    {
        var api = NewApi();
        long[] hot = [61, 62, 63, 64, 65];
        var fans = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => api.FanAsync()));

        var answers = await Task.WhenAll(fans.Select((fan, i) => Hold(fan, hot[i % hot.Length])));

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(195, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        for (var i = 0; i < answers.Length; i++)
        {
            if (answers[i].StatusCode == HttpStatusCode.Conflict)
            {
                Assert.Equal([hot[i % hot.Length]], (await ProblemAsync(answers[i])).GetProperty("takenSeatIds").EnumerateArray().Select(e => e.GetInt64()));
            }
        }

        var owners = new Dictionary<long, string>();
        for (var i = 0; i < answers.Length; i++)
        {
            if (answers[i].StatusCode == HttpStatusCode.Created)
            {
                owners[hot[i % hot.Length]] = Guid.Parse((await answers[i].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!).ToString("N");
            }
        }

        Assert.Equal(hot, owners.Keys.Order());
        await AssertStoresAgreeAsync(api, hot, owners);

        // The holds lapse (the expiry job has not run): the next race for a hot seat closes the lapsed order once and
        // gives the seat to exactly one fan; the other hot seats stay with their lapsed holders until asked for.
        api.Clock.Advance(TimeSpan.FromMinutes(10));
        var racers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => api.FanAsync()));
        var second = await Task.WhenAll(racers.Select(fan => Hold(fan, 61)));

        var winner = Assert.Single(second, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(49, second.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var newOwner = Guid.Parse((await winner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        await AssertStoresAgreeAsync(api, [61], new Dictionary<long, string> { [61] = newOwner.ToString("N") });
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(OrderStatus.Expired, (await db.Orders.SingleAsync(o => o.Id == Guid.Parse(owners[61]))).Status);
        Assert.Equal(1, await db.OrderLines.CountAsync(l => l.PerformanceId == Performance && l.SeatId == 61 && l.IsLive));
    }

    [Fact]
    public async Task Five_hundred_fans_holding_random_seats_never_share_a_seat()
    {
        var api = NewApi();
        var random = new Random(20261121);
        var fans = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => api.FanAsync()));
        var requests = fans.Select(fan =>
        {
            var seats = Enumerable.Range(0, random.Next(1, 5)).Select(_ => (long)random.Next(1, 301)).Distinct().ToArray();
            return (Fan: fan, Seats: seats);
        }).ToList();

        var answers = await Task.WhenAll(requests.Select(async r =>
            (r.Seats, Response: await r.Fan.PostAsJsonAsync($"/api/performances/{Performance}/holds", new { seatIds = r.Seats }))));

        Assert.All(answers, a => Assert.Contains(a.Response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var owner = new Dictionary<long, string>();
        foreach (var (seats, response) in answers.Where(a => a.Response.StatusCode == HttpStatusCode.Created))
        {
            var order = await response.Content.ReadFromJsonAsync<JsonElement>();
            var held = order.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("seatId").GetInt64()).OrderBy(x => x).ToArray();
            Assert.Equal(seats.OrderBy(x => x), held);
            foreach (var seat in held)
            {
                Assert.True(owner.TryAdd(seat, order.GetProperty("id").GetString()!), $"Seat {seat} was granted twice.");
            }
        }

        Assert.NotEmpty(owner);
        await AssertStoresAgreeAsync(api, Enumerable.Range(1, 300).Select(i => (long)i).ToList(), owner);
    }

    [Fact]
    public async Task Hold_fails_whole_when_one_seat_is_taken()
    {
        var api = NewApi();
        var first = await api.FanAsync();
        var second = await api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await Hold(first, 11, 12)).StatusCode);

        var conflict = await Hold(second, 12, 13);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var problem = await ProblemAsync(conflict);
        Assert.Equal([12L], problem.GetProperty("takenSeatIds").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(["Floor A-12"], problem.GetProperty("takenSeatLabels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.Created, (await Hold(second, 13)).StatusCode);
    }

    [Fact]
    public async Task Hold_answers_the_order_with_server_prices_and_deadline()
    {
        var api = NewApi();
        var fan = await api.FanAsync();

        var response = await Hold(fan, 1, 501);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", order.GetProperty("status").GetString());
        Assert.Equal(198_000 + 165_000, order.GetProperty("totalAmount").GetInt64());
        Assert.Equal(api.Clock.GetUtcNow().AddMinutes(10), order.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal($"/api/orders/{order.GetProperty("id").GetString()}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Cancelled_hold_frees_its_seats_at_once()
    {
        var api = NewApi();
        var first = await api.FanAsync();
        var second = await api.FanAsync();
        var order = await (await Hold(first, 21, 22)).Content.ReadFromJsonAsync<JsonElement>();

        var cancel = await first.DeleteAsync($"/api/orders/{order.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, (await Hold(second, 21, 22)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await first.DeleteAsync($"/api/orders/{order.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task Another_fans_order_answers_not_found()
    {
        var api = NewApi();
        var owner = await api.FanAsync();
        var stranger = await api.FanAsync();
        var id = (await (await Hold(owner, 31)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"/api/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/api/orders/not-an-order")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync($"/api/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/orders/{id}")).StatusCode);
        var mine = await owner.GetFromJsonAsync<JsonElement>("/api/me/orders");
        Assert.Equal(1, mine.GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await stranger.GetFromJsonAsync<JsonElement>("/api/me/orders")).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Expired_hold_reads_expired_and_its_seats_come_back()
    {
        var api = NewApi();
        var first = await api.FanAsync();
        var id = (await (await Hold(first, 41, 42)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        api.Clock.Advance(TimeSpan.FromMinutes(10));
        var report = await SendAsync(api, new ExpireDueOrders());

        Assert.Equal(1, report.Expired);
        Assert.Equal("expired", (await first.GetFromJsonAsync<JsonElement>($"/api/orders/{id}")).GetProperty("status").GetString());
        Assert.Equal(0, (await SendAsync(api, new ExpireDueOrders())).Expired);
        await AssertStoresAgreeAsync(api, [41, 42], new Dictionary<long, string>());
        Assert.Equal(HttpStatusCode.Created, (await Hold(await api.FanAsync(), 41, 42)).StatusCode);
    }

    [Fact]
    public async Task Hold_not_yet_expired_by_the_job_no_longer_counts_after_its_deadline()
    {
        var api = NewApi();
        var first = await api.FanAsync();
        var id = (await (await Hold(first, 51)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        api.Clock.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromMilliseconds(1)));

        Assert.Equal(0, SeatStatus(await SeatMapAsync(api), 51));
        Assert.Equal("expired", (await first.GetFromJsonAsync<JsonElement>($"/api/orders/{id}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, (await Hold(await api.FanAsync(), 51)).StatusCode);
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(OrderStatus.Expired, (await db.Orders.SingleAsync(o => o.Id == Guid.Parse(id!))).Status);
    }

    [Fact]
    public async Task A_seat_shown_free_after_its_lock_s_grace_is_holdable_although_the_expiry_has_not_run()
    {
        var api = NewApi();
        var first = await api.FanAsync();
        var id = Guid.Parse((await (await Hold(first, 56, 57)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        api.Clock.Advance(TimeSpan.FromMinutes(10) + HoldSeatsHandler.LockGrace + TimeSpan.FromSeconds(1));
        if (RedisConnectionString is not null)
        {
            // Redis drops the keys on its own clock when the grace ends; the injected clock cannot move it, so the
            // test drops them as Redis would. (The in-process lock already lapsed them on the injected clock.)
            await using var locks = api.Services.CreateAsyncScope();
            await locks.ServiceProvider.GetRequiredService<ISeatLock>().ForgetAsync(Performance, [56, 57]);
        }

        // The map shows the seat free and nothing is left in the lock store: the hold must not be refused by the
        // database's line of the lapsed order, which the expiry job (not running here) has not closed.
        Assert.Equal(0, SeatStatus(await SeatMapAsync(api), 56));
        var second = await Hold(await api.FanAsync(), 56);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var newOwner = Guid.Parse((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        await AssertStoresAgreeAsync(api, [56, 57], new Dictionary<long, string> { [56] = newOwner.ToString("N") });
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(OrderStatus.Expired, (await db.Orders.SingleAsync(o => o.Id == id)).Status);
        Assert.Equal("expired", (await first.GetFromJsonAsync<JsonElement>($"/api/orders/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Fan_may_not_hold_more_than_the_per_fan_total_across_orders()
    {
        var api = NewApi();
        var fan = await api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await Hold(fan, 61, 62, 63)).StatusCode);

        var tooMany = await Hold(fan, 64, 65);

        Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);
        Assert.Equal("seats.fan_limit", (await ProblemAsync(tooMany)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, (await Hold(fan, 64)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Hold(fan, 66)).StatusCode);
    }

    [Theory]
    [InlineData("{\"seatIds\":[]}", 400)]
    [InlineData("{}", 400)]
    [InlineData("{\"seatIds\":[1,1]}", 400)]
    [InlineData("{\"seatIds\":[-5]}", 400)]
    [InlineData("{\"seatIds\":[0]}", 400)]
    [InlineData("{\"seatIds\":[999999999]}", 400)]
    [InlineData("{\"seatIds\":[5001]}", 400)]
    [InlineData("{\"seatIds\":[1,2,3,4,5]}", 400)]
    [InlineData("{\"seatIds\":\"1\"}", 400)]
    [InlineData("{\"seatIds\":[1.5]}", 400)]
    [InlineData("{\"seatIds\":[1,", 400)]
    [InlineData("null", 400)]
    [InlineData("", 400)]
    public async Task Bad_hold_requests_get_problem_details_and_write_nothing(string body, int status)
    {
        var api = NewApi();
        var fan = await api.FanAsync();

        var response = await fan.PostAsync($"/api/performances/{Performance}/holds", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty((await ProblemAsync(response)).GetProperty("code").GetString()));
        Assert.Equal(0, await CountOrdersAsync(api));
    }

    [Fact]
    public async Task Ten_thousand_seat_ids_are_refused()
    {
        var api = NewApi();
        var fan = await api.FanAsync();

        var response = await fan.PostAsJsonAsync($"/api/performances/{Performance}/holds", new { seatIds = Enumerable.Range(1, 10_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ProblemAsync(response)).GetProperty("errors").TryGetProperty("seatIds", out _));
        Assert.Equal(0, await CountOrdersAsync(api));
    }

    [Fact]
    public async Task Other_requests_that_cannot_hold_are_refused_plainly()
    {
        var api = NewApi();
        var fan = await api.FanAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await fan.PostAsJsonAsync("/api/performances/999/holds", new { seatIds = new[] { 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await fan.PostAsync($"/api/performances/{Performance}/holds", new StringContent("seatIds=1", Encoding.UTF8, "application/x-www-form-urlencoded"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().PostAsJsonAsync($"/api/performances/{Performance}/holds", new { seatIds = new[] { 1 } })).StatusCode);
        Assert.Equal(0, await CountOrdersAsync(api));
    }

    [Fact]
    public async Task Holds_are_refused_outside_the_sales_window()
    {
        var api = NewApi();
        var fan = await api.FanAsync();
        api.Clock.Advance(TimeSpan.FromDays(60));
        fan = await api.FanAsync();

        var response = await Hold(fan, 1);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("sales.closed", (await ProblemAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Too_many_holds_from_one_fan_answer_429_with_retry_after()
    {
        var api = NewApi().With("RateLimits:HoldBurst", "3").With("RateLimits:HoldsPerMinute", "1");
        var fan = await api.FanAsync();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await fan.PostAsJsonAsync($"/api/performances/{Performance}/holds", new { seatIds = Array.Empty<long>() }));
        }

        var limited = answers.Last();
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("rate_limited", (await ProblemAsync(limited)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, (await Hold(await api.FanAsync(), 71)).StatusCode);
    }

    [Fact]
    public async Task Two_instances_expire_each_order_exactly_once()
    {
        var first = NewApi();
        var second = NewApi(folder: first.Folder, clock: first.Clock, keyPrefix: null);
        var fans = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => first.FanAsync()));
        var holds = await Task.WhenAll(fans.Select((fan, i) => Hold(fan, 101 + i)));
        Assert.All(holds, h => Assert.Equal(HttpStatusCode.Created, h.StatusCode));
        first.Clock.Advance(TimeSpan.FromMinutes(11));

        var reports = await Task.WhenAll(SendAsync(first, new ExpireDueOrders()), SendAsync(second, new ExpireDueOrders()));

        Assert.Equal(40, reports.Sum(r => r.Expired));
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(40, await db.Orders.CountAsync(o => o.Status == OrderStatus.Expired));
        Assert.Equal(0, await db.OrderLines.CountAsync(l => l.IsLive));
    }

    protected static Task<HttpResponseMessage> Hold(HttpClient fan, params long[] seats) =>
        fan.PostAsJsonAsync($"/api/performances/{Performance}/holds", new { seatIds = seats });

    protected static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    protected static async Task<T> SendAsync<T>(BookingApiFactory api, IRequest<T> request)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    protected static async Task<int> CountOrdersAsync(BookingApiFactory api)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Orders.CountAsync();
    }

    protected static async Task<JsonElement> SeatMapAsync(BookingApiFactory api) =>
        await api.CreateClient().GetFromJsonAsync<JsonElement>($"/api/performances/{Performance}/seats");

    protected static int SeatStatus(JsonElement map, long seatId) =>
        map.GetProperty("seats").EnumerateArray().Single(s => s[0].GetInt64() == seatId)[8].GetInt32();

    /// <summary>
    /// Seat by seat, the database's live lines, the lock store's holders and the public seat map say the same:
    /// a seat held in one is held by the same order in the others, and free in all three otherwise.
    /// </summary>
    protected static async Task AssertStoresAgreeAsync(BookingApiFactory api, IReadOnlyList<long> seats, IReadOnlyDictionary<long, string>? expectedOwners = null)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var live = await db.OrderLines.AsNoTracking()
            .Where(l => l.PerformanceId == Performance && l.IsLive && seats.Contains(l.SeatId))
            .Select(l => new { l.SeatId, l.OrderId })
            .ToListAsync();
        Assert.Equal(live.Count, live.Select(l => l.SeatId).Distinct().Count());
        var database = live.ToDictionary(l => l.SeatId, l => l.OrderId.ToString("N"));
        var locks = await scope.ServiceProvider.GetRequiredService<ISeatLock>().GetHoldersAsync(Performance, seats);
        var map = await SeatMapAsync(api);
        foreach (var seat in seats)
        {
            database.TryGetValue(seat, out var inDatabase);
            locks.TryGetValue(seat, out var inLocks);
            Assert.Equal(inDatabase, inLocks);
            Assert.Equal(inDatabase is null ? 0 : 1, SeatStatus(map, seat));
            if (expectedOwners is not null)
            {
                expectedOwners.TryGetValue(seat, out var expected);
                Assert.Equal(expected, inDatabase);
            }
        }
    }
}

public sealed class InProcessHoldTests : HoldContract
{
    protected override string? RedisConnectionString => null;
}
