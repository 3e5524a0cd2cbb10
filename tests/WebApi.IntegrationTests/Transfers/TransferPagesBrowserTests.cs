using Microsoft.Extensions.DependencyInjection;
using Ticketing.WebApi.IntegrationTests.Booking;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Transfers;

/// <summary>
/// The transfer pages in headless Debian chromium on a real loopback Kestrel, at 390×844 (touch, Korean) and 1280×800
/// (English): the sender offers a ticket free and another for less than face value from the order page (above face value
/// is refused by the form), the recipient accepts one and pays for the other on /book/transfers and sees both with new
/// QR codes, the sender sees them accepted and paid back. Screenshots under the test's output (docs/screenshots/transfer-*).
/// </summary>
public sealed class TransferPagesBrowserTests
{
    [Fact]
    public async Task A_fan_transfers_tickets_free_and_at_face_value_in_the_browser_at_phone_and_desktop_width()
    {
        using var api = new BookingApiFactory();
        var baseUrl = api.StartOnLoopback();

        var outDir = BrowserWalk.ScreenshotFolder;
        var result = await BrowserWalk.RunAsync(
            "transfer-walk.mjs",
            baseUrl,
            new Dictionary<string, string>
            {
                ["PERFORMANCE"] = "1",
                ["FIRST_SEAT"] = "301",
                ["ORGANIZER_EMAIL"] = Ticketing.Infrastructure.Persistence.DemoData.OrganizerEmail,
                ["ORGANIZER_PASSWORD"] = Ticketing.Infrastructure.Persistence.DemoData.OrganizerPassword,
            });

        foreach (var size in new[] { "phone", "desktop" })
        {
            var run = result.GetProperty("runs").GetProperty(size);
            Assert.False(run.TryGetProperty("pageErrors", out var errors), errors.ToString());
            var ko = size == "phone";
            Assert.Contains(ko ? "양도를 요청" : "Offered to", run.GetProperty("sentMessage").GetString()!, StringComparison.Ordinal);
            Assert.True(run.GetProperty("aboveFaceBlocked").GetBoolean());
            Assert.True(run.GetProperty("aboveFaceStillOpen").GetBoolean());
            Assert.All(run.GetProperty("badges").EnumerateArray(), b => Assert.Contains("transferPending", b.GetString()!, StringComparison.Ordinal));
            Assert.True(run.GetProperty("overflow").GetInt32() <= 0, $"{size}: the order page is wider than the window");
            Assert.Equal(2, run.GetProperty("offersShown").GetInt32());
            Assert.Contains(ko ? "티켓을 받았습니다" : "The ticket is yours", run.GetProperty("acceptedMessage").GetString()!, StringComparison.Ordinal);
            Assert.Equal(2, run.GetProperty("receivedQrs").GetInt32());
            Assert.All(run.GetProperty("sentStatuses").EnumerateArray(), b => Assert.Contains("accepted", b.GetString()!, StringComparison.Ordinal));
            Assert.Contains(ko ? "양도 대금 환급: 완료" : "Payback to the sender: done", run.GetProperty("sentText").GetString()!, StringComparison.Ordinal);
            Assert.Equal(0, run.GetProperty("aliceTickets").GetInt32());
            Assert.Equal(2, run.GetProperty("bobTickets").GetInt32());
            foreach (var name in new[] { "offer", "offered", "received", "accepted", "sent" })
            {
                var file = Path.Combine(outDir, $"transfer-{name}-{size}.png");
                Assert.True(new FileInfo(file).Length > 5_000, $"{file} looks empty");
            }
        }

        // The organizer page shows the performance's limit (default 1) and saves a new one.
        Assert.False(result.TryGetProperty("organizerErrors", out var organizerErrors), organizerErrors.ToString());
        Assert.Equal("1", result.GetProperty("organizerLimitShown").GetString());
        Assert.Contains("2", result.GetProperty("organizerSaved").GetString()!, StringComparison.Ordinal);
        Assert.Equal(2, result.GetProperty("limitAfter").GetInt32());
        Assert.True(new FileInfo(Path.Combine(outDir, "transfer-organizer-desktop.png")).Length > 5_000);

        // Behind the pages: the sale and one paid transfer charged per run; each paid transfer paid its sender back once.
        var toss = api.Services.GetRequiredService<Ticketing.Infrastructure.Payments.TossSimulator>();
        Assert.Equal(4, toss.Charges);
        Assert.Equal(2, toss.Refunds);
    }
}
