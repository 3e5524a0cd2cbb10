using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Discounts;

/// <summary>
/// The early-bird race: 200 fans holding a seat each choose the last 10 seats of a limited discount at the same
/// instant, through two API instances over one SQLite file (so no in-process lock can be what keeps the limit).
/// </summary>
public sealed class DiscountRaceTests : IAsyncLifetime
{
    private const int Fans = 200;
    private BookingApiFactory _first = null!;
    private BookingApiFactory _second = null!;

    public Task InitializeAsync()
    {
        _first = new BookingApiFactory();
        _second = new BookingApiFactory(folder: _first.Folder, clock: _first.Clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task Two_hundred_fans_racing_for_the_last_ten_early_bird_seats_get_exactly_ten()
    {
        var organizer = await _first.OrganizerAsync();
        var early = await DiscountApi.CreateIdAsync(organizer, new { name = "Early bird", kind = "percent", value = 30, quantityLimit = 12 });

        // Two of the twelve are taken before the race.
        var before = await _first.FanAsync();
        var beforeOrder = await HoldAsync(before, 1, 2);
        await DiscountApi.ChooseOkAsync(before, beforeOrder, new { seats = new object[] { new { seatId = 1, discountId = early }, new { seatId = 2, discountId = early } } });

        var fans = new List<(HttpClient Fan, string OrderId, long SeatId)>();
        for (var i = 0; i < Fans; i++)
        {
            var api = i % 2 == 0 ? _first : _second;
            var fan = await api.FanAsync();
            var seat = 1001L + i;
            fans.Add((fan, await HoldAsync(fan, seat), seat));
        }

        using var start = new SemaphoreSlim(0);
        var racing = fans.Select(async f =>
        {
            await start.WaitAsync();
            return await DiscountApi.ChooseAsync(f.Fan, f.OrderId, new { seats = new object[] { new { seatId = f.SeatId, discountId = early } } });
        }).ToList();
        start.Release(Fans);
        var answers = await Task.WhenAll(racing);

        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Fans - 10, statuses.Count(s => s == HttpStatusCode.Conflict));
        foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("discount.sold_out", await DiscountApi.CodeOfAsync(refused));
        }

        await using var scope = _first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(12, await db.OrderLines.CountAsync(l => l.IsLive && l.DiscountId == early));
        var winners = fans.Zip(answers).Where(x => x.Second.StatusCode == HttpStatusCode.OK).Select(x => Guid.Parse(x.First.OrderId)).ToList();
        var totals = await db.Orders.Where(o => winners.Contains(o.Id)).Select(o => o.TotalAmount).ToListAsync();
        Assert.All(totals, t => Assert.True(t < 165_000, $"A winner's total is {t}"));

        // A winner pays the discounted total through the simulated payment window of the other instance.
        var (winner, winnerOrder, _) = fans.Zip(answers).First(x => x.Second.StatusCode == HttpStatusCode.OK).First;
        var total = (await winner.GetFromJsonAsync<JsonElement>($"/api/orders/{winnerOrder}")).GetProperty("totalAmount").GetInt64();
        var checkout = await winner.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId = winnerOrder });
        var window = JsonDocument.Parse(await checkout.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(total, window.GetProperty("amount").GetInt64());
        var paid = await winner.PostAsJsonAsync("/api/payments/confirm", new { paymentKey = window.GetProperty("paymentKey").GetString(), orderId = winnerOrder, amount = total });
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
    }

    private static async Task<string> HoldAsync(HttpClient fan, params long[] seats)
    {
        var response = await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = seats });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
