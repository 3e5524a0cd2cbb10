using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.WebApi.IntegrationTests.Booking;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Discounts;

/// <summary>
/// The price step of the booking page in headless Debian chromium on a real loopback Kestrel, at 390×844 (Korean,
/// touch) and 1280×800 (English): a discount per seat, a refused and an accepted coupon, the rule shown, the summary's
/// discount and total, and the payment window and the payment at the discounted total.
/// Screenshots: the test's output folder, <c>screenshots/discounts-*.png</c> (docs/screenshots has copies).
/// </summary>
public sealed class DiscountPagesBrowserTests
{
    [Fact]
    public async Task A_fan_prices_seats_with_a_discount_and_a_coupon_and_pays_the_discounted_total_at_phone_and_desktop_width()
    {
        using var api = new BookingApiFactory();
        var baseUrl = api.StartOnLoopback();
        using var organizer = await api.OrganizerAsync();
        var early = await DiscountApi.CreateIdAsync(organizer, new { name = "조기예매 Early bird", kind = "percent", value = 10, quantityLimit = 100 });
        var youth = await DiscountApi.CreateIdAsync(organizer, new { name = "청소년 Youth", kind = "amount", value = 20_000, grade = "S", rule = "만 24세 이하, 입장 시 신분증 확인 / Age 24 or under: ID at the door" });
        var coupon = await DiscountApi.CreateAsync(organizer, new { name = "팬클럽 Fan club", kind = "amount", value = 5_000, quantityLimit = 50, couponCode = "FANCLUB26" });

        var outDir = BrowserWalk.ScreenshotFolder;
        var result = await BrowserWalk.RunAsync(
            "discounts-walk.mjs",
            baseUrl,
            new Dictionary<string, string>
            {
                ["PERFORMANCE"] = "1",
                ["EARLY"] = early.ToString(CultureInfo.InvariantCulture),
                ["YOUTH"] = youth.ToString(CultureInfo.InvariantCulture),
                ["COUPON_ID"] = coupon.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture),
                ["COUPON_CODE"] = "FANCLUB26",
                ["SEATS_PHONE"] = "2311,2312",
                ["SEATS_DESKTOP"] = "2321,2322",
            });

        var orders = new List<Guid>();
        foreach (var size in new[] { "phone", "desktop" })
        {
            var run = result.GetProperty("runs").GetProperty(size);
            Assert.False(run.TryGetProperty("pageErrors", out var errors), errors.ToString());
            var ko = size == "phone";
            string Won(string digits) => ko ? digits + "원" : "₩" + digits;

            // Both seats are S (132,000): each lists the standard price and the early bird and youth prices, no coupon.
            var options = run.GetProperty("optionsSeat1").EnumerateArray().Select(o => o.GetString()!).ToList();
            Assert.Contains(options, o => o.Contains(ko ? "일반" : "Standard", StringComparison.Ordinal) && o.Contains(Won("132,000"), StringComparison.Ordinal));
            Assert.Contains(options, o => o.Contains("Early bird", StringComparison.Ordinal) && o.Contains(Won("118,800"), StringComparison.Ordinal) && o.Contains(ko ? "남은 수량" : "left", StringComparison.Ordinal));
            Assert.Contains(options, o => o.Contains("Youth", StringComparison.Ordinal) && o.Contains(Won("112,000"), StringComparison.Ordinal));
            Assert.DoesNotContain(options, o => o.Contains("Fan club", StringComparison.Ordinal));
            Assert.Contains("264,000", run.GetProperty("totalBefore").GetString()!, StringComparison.Ordinal);

            Assert.Contains(ko ? "사용할 수 없는" : "cannot be used", run.GetProperty("badCoupon").GetString()!, StringComparison.Ordinal);
            Assert.Contains("FANCLUB26", run.GetProperty("goodCoupon").GetString()!, StringComparison.Ordinal);
            Assert.Contains("ID at the door", run.GetProperty("rule").GetString()!, StringComparison.Ordinal);

            // The summary: tickets at face value, the discount, the total; the pay button and the window carry the total.
            var summary = run.GetProperty("summary").GetString()!;
            Assert.Contains(Won("264,000"), summary, StringComparison.Ordinal);
            Assert.Contains("− " + Won("33,200"), summary, StringComparison.Ordinal);
            Assert.Contains(Won("230,800"), summary, StringComparison.Ordinal);
            Assert.Contains("230,800", run.GetProperty("payButton").GetString()!, StringComparison.Ordinal);
            Assert.Equal("230800", run.GetProperty("windowAmount").GetString());
            Assert.Contains(ko ? "결제가 완료" : "Payment complete", run.GetProperty("paidMessage").GetString()!, StringComparison.Ordinal);
            Assert.Contains("230,800", run.GetProperty("paidSummary").GetString()!, StringComparison.Ordinal);
            orders.Add(Guid.Parse(run.GetProperty("orderId").GetString()!));

            foreach (var name in new[] { "price", "coupon", "chosen" })
            {
                var file = Path.Combine(outDir, $"discounts-{name}-{size}.png");
                Assert.True(new FileInfo(file).Length > 5_000, $"{file} looks empty");
            }
        }

        // The organizer's page: the two paid orders' seats in use, the coupon's code, and a discount added with a generated code.
        var organizerRun = result.GetProperty("runs").GetProperty("organizer");
        Assert.False(organizerRun.TryGetProperty("pageErrors", out var organizerErrors), organizerErrors.ToString());
        var rows = organizerRun.GetProperty("rows").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(rows, r => r.Contains("Early bird", StringComparison.Ordinal) && r.Contains("2 / 100", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Fan club", StringComparison.Ordinal) && r.Contains("FANCLUB26", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Matinee", StringComparison.Ordinal) && r.Contains("15%", StringComparison.Ordinal));
        Assert.True(new FileInfo(Path.Combine(outDir, "discounts-organizer-desktop.png")).Length > 5_000);

        // Behind the pages: each order was charged its discounted total.
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var charged = await db.Payments.Where(p => orders.Contains(p.OrderId)).Select(p => p.Amount).ToListAsync();
        Assert.Equal([230_800L, 230_800L], charged);
    }
}
