using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Booking;

/// <summary>
/// The waitlist page in headless Debian chromium on a real loopback Kestrel, at 390×844 (touch, Korean) and
/// 1280×800 (English): a fan joins for two A seats and sees their place; another fan's refund is offered to them live
/// (SSE) on the open page with its countdown; declining passes it on, paying opens the normal payment step.
/// Screenshots land in the test's output (docs/screenshots/waitlist-*.png come from there).
/// </summary>
public sealed class WaitlistPageBrowserTests
{
    [Fact]
    public async Task A_fan_joins_the_waitlist_and_gets_an_offer_live_at_phone_and_desktop_width()
    {
        using var api = new BookingApiFactory();
        var baseUrl = api.StartOnLoopback();
        await WaitlistRuleAsync(api);

        var outDir = BrowserWalk.ScreenshotFolder;
        var result = await BrowserWalk.RunAsync(
            "waitlist-walk.mjs",
            baseUrl,
            new Dictionary<string, string>
            {
                ["PERFORMANCE"] = "1",
                ["SEATS_PHONE"] = "4601,4602",
                ["SEATS_DESKTOP"] = "4611,4612",
            });

        foreach (var size in new[] { "phone", "desktop" })
        {
            var run = result.GetProperty("runs").GetProperty(size);
            Assert.False(run.TryGetProperty("pageErrors", out var errors), errors.ToString());
            var ko = size == "phone";
            Assert.Contains(ko ? "취소표 대기" : "Cancellation waitlist", run.GetProperty("intro").GetString()!, StringComparison.Ordinal);
            Assert.Contains(ko ? "다음 취소표는 내 차례" : "You are next in line", run.GetProperty("position").GetString()!, StringComparison.Ordinal);
            Assert.Equal(200, run.GetProperty("refund").GetInt32());
            Assert.Contains(ko ? "좌석이 제안되었습니다" : "Seats were offered to you", run.GetProperty("alert").GetString()!, StringComparison.Ordinal);
            Assert.Contains(ko ? "Balcony" : "Balcony", run.GetProperty("offer").GetString()!, StringComparison.Ordinal);
            Assert.Matches(@"\d+:\d\d", run.GetProperty("countdown").GetString()!);
            foreach (var name in new[] { "join", "waiting", "offer" })
            {
                var file = Path.Combine(outDir, $"waitlist-{name}-{size}.png");
                Assert.True(new FileInfo(file).Length > 5_000, $"{file} looks empty");
            }
        }

        Assert.Contains("거절함", result.GetProperty("runs").GetProperty("phone").GetProperty("afterDecline").GetString()!, StringComparison.Ordinal);
        Assert.Contains("/book/performances/1?order=", result.GetProperty("runs").GetProperty("desktop").GetProperty("payUrl").GetString()!, StringComparison.Ordinal);

        // Behind the page: the declined offer's seats are free again (nobody else waits), the desktop offer is pending.
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(2, await db.WaitlistOffers.CountAsync());
        Assert.False(await db.OrderLines.AnyAsync(l => l.IsLive && (l.SeatId == 4601 || l.SeatId == 4602)));
    }

    /// <summary>The organizer gives performance 1's refunded seats to the waitlist, through the API.</summary>
    private static async Task WaitlistRuleAsync(BookingApiFactory api)
    {
        using var organizer = await api.OrganizerAsync();
        var ev = await organizer.GetFromJsonAsync<JsonElement>("/api/events/1");
        var p = ev.GetProperty("performances").EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == 1);
        var response = await organizer.PutAsJsonAsync("/api/organizer/performances/1", new
        {
            startsAt = p.GetProperty("startsAt").GetDateTimeOffset(),
            salesOpenAt = p.GetProperty("salesOpenAt").GetDateTimeOffset(),
            salesCloseAt = p.GetProperty("salesCloseAt").GetDateTimeOffset(),
            returnedSeats = "Waitlist",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
