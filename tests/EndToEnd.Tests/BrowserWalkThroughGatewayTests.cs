using System.Text.Json;
using Ticketing.EndToEnd.Tests.Infrastructure;
using Ticketing.WaitingRoom.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ticketing.EndToEnd.Tests;

/// <summary>
/// Issue 10's walk in headless Debian chromium (npm playwright-core) against the product as the run command starts it,
/// on the gateway's one origin: sign in on the booking pages, the demo room's queue page, admitted, the booking page of
/// performance 2 (its map drawn), 2 seats together held with a countdown, the simulated payment window, paid, the
/// tickets with their QR codes; at 390×844 (touch, Korean) and 1280×800 (English). And two browsers on one
/// performance: a seat held in one is drawn held in the other within 1 s of the hold's answer. Screenshots go to the
/// test's output folder (<c>screenshots/gateway-*.png</c>; the README shows them from <c>docs/screenshots</c>).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BrowserWalkThroughGatewayTests(TicketingStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task A_fan_signs_in_queues_is_admitted_holds_two_seats_together_pays_and_sees_the_tickets_at_phone_and_desktop_width()
    {
        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        using var doc = await RunAsync("walk", outDir);
        var result = doc.RootElement;

        foreach (var size in new[] { "phone", "desktop" })
        {
            var run = result.GetProperty("runs").GetProperty(size);
            Assert.False(run.TryGetProperty("pageErrors", out var errors), errors.ToString());
            Assert.True(run.GetProperty("tokensInTab").GetBoolean(), "signed in before the queue, in the same tab");

            // Admitted by the queue page and taken to the booking page of the paced performance; the pass is the
            // gateway's HttpOnly, SameSite=Strict cookie, never in the URL.
            Assert.Equal("/book/performances/2", run.GetProperty("bookingUrl").GetString());
            var cookie = run.GetProperty("passCookie");
            Assert.True(cookie.GetProperty("httpOnly").GetBoolean());
            Assert.Equal("Strict", cookie.GetProperty("sameSite").GetString());
            Assert.False(run.GetProperty("passInUrl").GetBoolean());
            Assert.Equal(5_000, run.GetProperty("seatsShown").GetInt32());

            // Two seats side by side in one row (labels "{section} {row}-{number}", consecutive numbers).
            var held = run.GetProperty("heldSeats").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.Equal(2, held.Count);
            var numbers = held.Select(SeatNumber).Order().ToList();
            Assert.Equal(numbers[0] + 1, numbers[1]);
            Assert.Equal(RowOf(held[0]), RowOf(held[1]));
            Assert.False(string.IsNullOrEmpty(run.GetProperty("heldOrder").GetString()));
            Assert.Equal(2, run.GetProperty("chosenShown").GetInt32());

            // The simulated window redirected as Toss's does, the payment was confirmed, two tickets with QR images.
            Assert.Equal(["amount", "orderId", "paymentKey"], run.GetProperty("successQuery").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.Contains(size == "phone" ? "결제가 완료" : "Payment complete", run.GetProperty("paidMessage").GetString()!, StringComparison.Ordinal);
            var qrs = run.GetProperty("qrImages").EnumerateArray().ToList();
            Assert.Equal(2, qrs.Count);
            Assert.All(qrs, q => Assert.True(q.GetProperty("w").GetInt32() > 100 && q.GetProperty("src").GetString() == "blob:"));

            foreach (var name in new[] { "queue", "seats", "hold", "window", "paid", "tickets" })
            {
                var file = Path.Combine(outDir, $"gateway-{name}-{size}.png");
                Assert.True(new FileInfo(file).Length > 5_000, $"{file} looks empty");
            }
        }
    }

    [Fact]
    public async Task Two_browsers_on_one_performance_a_seat_held_in_one_is_drawn_held_in_the_other_within_a_second()
    {
        using var doc = await RunAsync("live", Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var result = doc.RootElement;

        // Two browsers: the watcher's map had the seat free, then drew it held within 1 s of the holder's answer.
        var live = result.GetProperty("live");
        Assert.False(live.TryGetProperty("pageErrors", out var liveErrors), liveErrors.ToString());
        Assert.StartsWith("●", live.GetProperty("streamNoteB").GetString()!, StringComparison.Ordinal);
        Assert.Single(live.GetProperty("chosenA").EnumerateArray());
        Assert.Equal(0, live.GetProperty("statusBeforeB").GetInt32());
        Assert.Equal(1, live.GetProperty("statusAfterB").GetInt32());
        Assert.True(live.GetProperty("holdAnswered").GetBoolean());
        var redrawMs = live.GetProperty("redrawMs").GetInt32();
        output.WriteLine($"the seat held in browser A was drawn held in browser B {redrawMs} ms after A's hold answered");
        Assert.True(redrawMs < 1000, $"browser B drew the held seat {redrawMs} ms after the hold's answer (aim: under 1 s)");
    }

    private async Task<JsonDocument> RunAsync(string part, string outDir)
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "apt-get install -y chromium");
        await Node.EnsurePackagesAsync();
        var (code, walk) = await Node.RunAsync(
            "node",
            ["gateway-walk.mjs"],
            TimeSpan.FromSeconds(300),
            new Dictionary<string, string>
            {
                ["BASE_URL"] = stack.GatewayUrl,
                ["PART"] = part,
                ["PACED"] = "2",
                ["FREE"] = "1",
                ["OUT_DIR"] = outDir,
                ["CHROMIUM"] = "/usr/bin/chromium",
            });
        var line = walk.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? walk;
        var doc = JsonDocument.Parse(line);
        if (code != 0 || !doc.RootElement.GetProperty("ok").GetBoolean())
        {
            doc.Dispose();
            Assert.Fail(walk + "\n" + stack.Logs);
        }

        return doc;
    }

    private static int SeatNumber(string label) =>
        int.Parse(label[(label.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static string RowOf(string label) => label[..label.LastIndexOf('-')];
}
