using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Ticketing.OnSale;

/// <summary>
/// One fan's visit, as the queue page and the booking page make it: join in the pre-queue, poll the status when
/// told to (<c>pollAfterMs</c>), and once admitted pick seats from the map (or ask for seats together), hold them with
/// the pass, then pay, walk away or cancel.
/// </summary>
internal sealed class FanSimulation(
    HttpClient http,
    OnSaleSettings settings,
    Recorder recorder,
    SharedToss toss,
    string roomId,
    long performanceId,
    long[] seatIds,
    string[] accountTokens,
    double openingAt)
{
    private int _joinsAnswered;

    /// <summary>Joins that have had their answer (whatever it was).</summary>
    public int JoinsAnswered => Volatile.Read(ref _joinsAnswered);

    public async Task RunAsync(FanRecord fan, double joinAt, CancellationToken stop)
    {
        var random = new Random(HashCode.Combine(settings.Seed, fan.Index));
        await DelayUntil(joinAt, stop);
        JsonElement status;
        string ticket;
        using (var join = await SendAsync("join", HttpMethod.Post, Gateway(random) + $"/api/rooms/{roomId}/join", null, stop))
        {
            Interlocked.Increment(ref _joinsAnswered);
            if (join.Status != 200 && join.Status != 201)
            {
                fan.Outcome = "failed";
                return;
            }

            status = join.Json.RootElement.Clone();
            ticket = status.GetProperty("ticket").GetString()!;
            fan.TicketId = ticket[..ticket.IndexOf('.', StringComparison.Ordinal)];
        }

        var askedAt = recorder.Now;
        while (!stop.IsCancellationRequested)
        {
            var state = status.GetProperty("state").GetString();
            Observe(fan, status, state, askedAt);
            if (state == "admitted")
            {
                await BookAsync(fan, status.GetProperty("pass").GetString()!, random, stop);
                return;
            }

            if (state == "soldOut")
            {
                fan.Outcome = "soldOut";
                return;
            }

            if (state != "waiting" || status.GetProperty("pollAfterMs").ValueKind != JsonValueKind.Number)
            {
                fan.Outcome = state ?? "failed";
                return;
            }

            await Task.Delay(status.GetProperty("pollAfterMs").GetInt32(), stop);
            askedAt = recorder.Now;
            using var answer = await SendAsync("status", HttpMethod.Get, Gateway(random) + $"/api/rooms/{roomId}/status", null, stop, ("X-Queue-Ticket", ticket));
            if (answer.Status != 200)
            {
                // A refused poll (503 with Retry-After under load) is asked again, as the page does.
                status = JsonDocument.Parse("""{"state":"waiting","pollAfterMs":2000}""").RootElement;
                continue;
            }

            status = answer.Json.RootElement.Clone();
        }
    }

    private void Observe(FanRecord fan, JsonElement status, string? state, double askedAt)
    {
        var now = recorder.Now;
        if (state == "admitted" && double.IsNaN(fan.AdmittedAt))
        {
            fan.AdmittedAt = now;
        }

        if (state == "soldOut" && double.IsNaN(fan.SoldOutAt))
        {
            fan.SoldOutAt = now;
        }

        if (state != "waiting" || status.GetProperty("preQueue").GetBoolean() || status.GetProperty("place").ValueKind != JsonValueKind.Number)
        {
            return;
        }

        var place = status.GetProperty("place").GetInt64();
        if (fan.PlaceSeen != 0 && fan.PlaceSeen != place)
        {
            fan.PlaceChanged = true;
        }

        fan.PlaceSeen = place;
        var ahead = status.GetProperty("ahead").GetInt64();
        if (ahead > fan.LastAhead)
        {
            fan.AheadWentUp++;
        }

        fan.LastAhead = ahead;
        if (ahead > 0 && askedAt >= openingAt)
        {
            fan.LastWaitingAheadAskedAt = askedAt;
        }
    }

    private async Task BookAsync(FanRecord fan, string pass, Random random, CancellationToken stop)
    {
        var token = accountTokens[fan.Index % accountTokens.Length];
        var count = random.Next(1, 5);
        var together = random.NextDouble() < 0.3;
        await Task.Delay(random.Next(300, 1500), stop); // the booking page loads; the fan looks at the map
        JsonElement? order = null;
        if (together)
        {
            using var hold = await SendAsync("hold", HttpMethod.Post, Gateway(random) + $"/api/performances/{performanceId}/holds/together",
                new { gradeCode = "R", count }, stop, ("Authorization", "Bearer " + token), ("X-Access-Pass", pass));
            order = hold.Status == 201 ? hold.Json.RootElement.Clone() : null;
        }

        for (var attempt = 0; order is null && attempt < 3; attempt++)
        {
            var pick = await PickSeatsAsync(count, random, stop);
            if (pick.Length == 0)
            {
                break;
            }

            using var hold = await SendAsync("hold", HttpMethod.Post, Gateway(random) + $"/api/performances/{performanceId}/holds",
                new { seatIds = pick }, stop, ("Authorization", "Bearer " + token), ("X-Access-Pass", pass));
            order = hold.Status == 201 ? hold.Json.RootElement.Clone() : null;
            if (hold.Status != 201 && hold.Status != 409)
            {
                break;
            }
        }

        if (order is not { } held)
        {
            fan.Outcome = "no-seats";
            return;
        }

        fan.SeatsHeld = held.GetProperty("seats").GetArrayLength();
        var orderId = held.GetProperty("id").GetString()!;
        var amount = held.GetProperty("totalAmount").GetInt64();
        await Task.Delay(random.Next(500, 2500), stop); // the fan reads the order and opens the payment widget
        if (random.NextDouble() >= 0.8)
        {
            // Of the fans who do not pay, most give the seats back; WALK_AWAY of them just leave (the hold expires).
            if (random.NextDouble() >= settings.WalkAway)
            {
                await CancelAsync(orderId, token, random, stop);
                fan.Outcome = "cancelled";
            }
            else
            {
                fan.Outcome = "walked-away"; // the hold expires
            }

            return;
        }

        var roll = random.NextDouble();
        var outcome = roll < 0.10 ? "decline" : roll < 0.15 ? "unknown" : "approve";
        var paymentKey = toss.Authorize(orderId, amount, outcome);
        using var confirm = await SendAsync("confirm", HttpMethod.Post, Gateway(random) + "/api/payments/confirm",
            new { paymentKey, orderId, amount }, stop, ("Authorization", "Bearer " + token), ("Idempotency-Key", Guid.NewGuid().ToString("N")));
        switch (confirm.Status)
        {
            case 200:
                fan.Outcome = "paid";
                break;
            case 202:
                fan.Outcome = "payment-unknown";
                break;
            case 402:
                // Declined: the fan gives the seats back rather than trying another card.
                await CancelAsync(orderId, token, random, stop);
                fan.Outcome = "declined";
                break;
            default:
                fan.Outcome = "failed";
                break;
        }
    }

    private async Task CancelAsync(string orderId, string token, Random random, CancellationToken stop)
    {
        using var cancel = await SendAsync("cancel", HttpMethod.Delete, Gateway(random) + $"/api/orders/{orderId}", null, stop, ("Authorization", "Bearer " + token));
    }

    /// <summary>Reads the seat statuses as the booking page does and picks <paramref name="count"/> free seats side by side where it can.</summary>
    private async Task<long[]> PickSeatsAsync(int count, Random random, CancellationToken stop)
    {
        using var answer = await SendAsync("seat-statuses", HttpMethod.Get, Gateway(random) + $"/api/performances/{performanceId}/seats/statuses", null, stop);
        if (answer.Status != 200)
        {
            return [];
        }

        var statuses = Convert.FromBase64String(answer.Json.RootElement.GetProperty("statuses").GetString()!);
        var free = new List<int>();
        for (var i = 0; i < statuses.Length; i++)
        {
            if (statuses[i] == 0)
            {
                free.Add(i);
            }
        }

        if (free.Count == 0)
        {
            return [];
        }

        var start = free[random.Next(free.Count)];
        var pick = new List<long>();
        for (var i = start; i < statuses.Length && pick.Count < count && statuses[i] == 0; i++)
        {
            pick.Add(seatIds[i]);
        }

        return [.. pick];
    }

    private string Gateway(Random random) => settings.Gateways[random.Next(settings.Gateways.Length)];

    private async Task DelayUntil(double at, CancellationToken stop)
    {
        var wait = at - recorder.Now;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait), stop);
        }
    }

    private async Task<Answer> SendAsync(string kind, HttpMethod method, string url, object? body, CancellationToken stop, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        else if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(string.Empty, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        var started = recorder.Now;
        try
        {
            using var response = await http.SendAsync(request, stop);
            var bytes = await response.Content.ReadAsByteArrayAsync(stop);
            recorder.Latency(kind, recorder.Now - started);
            var status = (int)response.StatusCode;
            recorder.Answer(kind, status);
            var json = bytes.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                ? JsonDocument.Parse(bytes)
                : JsonDocument.Parse("{}");
            return new Answer(status, json);
        }
        catch (HttpRequestException)
        {
            recorder.Answer(kind, 599);
            return new Answer(599, JsonDocument.Parse("{}"));
        }
        catch (TaskCanceledException) when (!stop.IsCancellationRequested)
        {
            recorder.Answer(kind, 598);
            return new Answer(598, JsonDocument.Parse("{}"));
        }
    }

    private sealed record Answer(int Status, JsonDocument Json) : IDisposable
    {
        public void Dispose() => Json.Dispose();
    }
}
