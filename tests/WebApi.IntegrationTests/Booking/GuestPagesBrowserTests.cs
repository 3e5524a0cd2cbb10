using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Persistence;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Booking;

/// <summary>
/// Guest booking in headless chromium at 390×844 (Korean, touch) and 1280×800 (English): verify a phone, book and pay
/// as a guest, keep the booking number; then in a fresh browser a wrong phone finds nothing, the right one shows
/// the booking with its QR codes, and the guest cancels after seeing the refund. Screenshots: guest-*.png.
/// </summary>
public sealed class GuestPagesBrowserTests
{
    [Fact]
    public async Task A_guest_verifies_a_phone_books_pays_then_looks_the_booking_up_and_cancels_at_phone_and_desktop_width()
    {
        using var api = new BookingApiFactory().With("Sms:Provider", "Simulated").With("Sms:AllowSimulated", "true");
        var baseUrl = api.StartOnLoopback();

        var outDir = BrowserWalk.ScreenshotFolder;
        var result = await BrowserWalk.RunAsync(
            "guest-walk.mjs",
            baseUrl,
            new Dictionary<string, string>
            {
                ["PERFORMANCE"] = "1",
            },
            timeoutSeconds: 240);

        // The organizer's switch on the sales page writes the performance's setting (and the walk turned it back on).
        var organizer = result.GetProperty("organizer");
        Assert.False(organizer.TryGetProperty("pageErrors", out var organizerErrors), organizerErrors.ToString());
        Assert.Equal("1", organizer.GetProperty("performance").GetString());
        Assert.True(organizer.GetProperty("checkedAtFirst").GetBoolean());
        Assert.False(organizer.GetProperty("afterOff").GetBoolean());
        Assert.True(organizer.GetProperty("afterOn").GetBoolean());

        var numbers = new List<string>();
        foreach (var size in new[] { "phone", "desktop" })
        {
            var run = result.GetProperty("runs").GetProperty(size);
            Assert.False(run.TryGetProperty("pageErrors", out var errors), errors.ToString());
            var ko = size == "phone";
            Assert.Equal(["/book/guest?performance=1"], run.GetProperty("guestLinks").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.Contains(ko ? "*********0001" : "*********0002", run.GetProperty("sentMessage").GetString()!, StringComparison.Ordinal);
            Assert.Contains(ko ? "남은 시도 4회" : "4 attempts left", run.GetProperty("wrongCodeMessage").GetString()!, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.GetProperty("buyerNameBefore").GetString());
            Assert.False(string.IsNullOrEmpty(run.GetProperty("buyerPhone").GetString()));
            Assert.Contains(ko ? "결제가 완료" : "Payment complete", run.GetProperty("paidMessage").GetString()!, StringComparison.Ordinal);
            var number = run.GetProperty("bookingNumber").GetString()!;
            Assert.Matches("^[2-9A-Z]{5}-[2-9A-Z]{5}$", number);
            numbers.Add(number);

            Assert.Contains(ko ? "일치하는 예매가 없습니다" : "No booking matches", run.GetProperty("wrongPhoneMessage").GetString()!, StringComparison.Ordinal);
            Assert.Equal(number, run.GetProperty("lookedUpNumber").GetString());
            Assert.Contains("paid", run.GetProperty("statusBefore").GetString()!, StringComparison.Ordinal);
            var qrs = run.GetProperty("qrImages").EnumerateArray().ToList();
            Assert.Equal(2, qrs.Count);
            Assert.All(qrs, q => Assert.True(q.GetProperty("w").GetInt32() > 100 && q.GetProperty("src").GetString() == "blob:"));
            var refund = run.GetProperty("refundShown").GetString()!;
            Assert.Contains(refund.Replace("원", string.Empty, StringComparison.Ordinal).Replace("₩", string.Empty, StringComparison.Ordinal).Trim(), run.GetProperty("cancelledMessage").GetString()!, StringComparison.Ordinal);
            foreach (var name in new[] { "phone", "code", "buyer", "paid", "lookup-wrong", "lookup", "cancelled" })
            {
                var file = Path.Combine(outDir, $"guest-{name}-{size}.png");
                Assert.True(new FileInfo(file).Length > 5_000, $"{file} looks empty");
            }
        }

        // Behind the pages: two guest accounts (one per phone), two booked and fully refunded orders.
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var bookings = await db.GuestBookings.AsNoTracking().ToListAsync();
        Assert.Equal(numbers.Select(n => n.Replace("-", string.Empty, StringComparison.Ordinal)).Order(), bookings.Select(b => b.BookingNumber).Order());
        Assert.Equal(["+821040000001", "+821040000002"], bookings.Select(b => b.Phone).Order().ToArray());
        var orderIds = bookings.Select(b => b.OrderId).ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToListAsync();
        Assert.All(orders, o => Assert.Equal(OrderStatus.Refunded, o.Status));
        Assert.All(orders, o => Assert.Equal(o.TotalAmount, o.RefundedAmount));
    }
}
