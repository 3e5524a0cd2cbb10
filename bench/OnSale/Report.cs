using System.Globalization;

namespace Ticketing.OnSale;

/// <summary>Prints the run's figures and audits; every audit line reads <c>AUDIT name=value ok|FAIL</c>.</summary>
internal sealed class Report(
    OnSaleSettings settings,
    Recorder recorder,
    FanRecord[] fans,
    SaleMonitor monitor,
    DrawReader draw,
    Audit audit,
    SharedToss toss,
    double openingAt,
    double endAt,
    double settledSeconds)
{
    private int _failures;

    public async Task<int> PrintAsync()
    {
        PrintOutcomes();
        AdmissionRate();
        Fairness();
        SoldOut();
        await DatabaseAsync();
        Latencies();
        return _failures;
    }

    private void PrintOutcomes()
    {
        Console.WriteLine("fans by outcome: " + string.Join(", ", fans.GroupBy(f => f.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}")));
        Console.WriteLine("answers: " + string.Join(", ", recorder.Answers.Select(a => $"{a.Key}: {a.Value}")));
        Console.WriteLine($"server errors (5xx or no answer): {recorder.ServerErrors}; confirm answers cut by the provider after processing: {toss.CutAnswers}");
    }

    /// <summary>
    /// Fans admitted per second: the store's serving counter (places called) per second of the store's own clock,
    /// read from Redis with the second it was advanced to, over every stretch between two readings where the room
    /// paced by its rate alone: the inventory cap left room for more than two seconds' worth of fans at both ends
    /// (read in the same Redis transaction), and the line was not empty.
    /// </summary>
    private void AdmissionRate()
    {
        var samples = monitor.Counter;
        long called = 0, seconds = 0;
        for (var i = 1; i < samples.Count; i++)
        {
            var (a, b) = (samples[i - 1], samples[i]);
            if (b.Tick > a.Tick && a.Headroom > 2 * settings.Rate && b.Headroom > 2 * settings.Rate && b.Serving < settings.Fans)
            {
                called += b.Serving - a.Serving;
                seconds += b.Tick - a.Tick;
            }
        }

        if (seconds < 5)
        {
            Check("admission_rate_seconds", seconds, false);
            return;
        }

        var rate = called / (double)seconds;
        var deviation = (rate / settings.Rate) - 1;
        Console.WriteLine($"admission: set {settings.Rate}/s; the store's serving counter {rate:F2}/s ({called} places in {seconds} s of its clock " +
            "paced by rate alone)");
        Console.WriteLine("pacing over the sale (stats samples): " + string.Join(", ", monitor.Samples.Where(s => s.Opened).GroupBy(s => s.Pacing + (s.SoldOut ? "+soldOut" : string.Empty))
            .Select(g => $"{g.Key} {g.Count()}")));
        Check("admission_rate_deviation_percent", Math.Round(deviation * 100, 3), Math.Abs(deviation) <= 0.01);
    }

    /// <summary>
    /// Overtakes against the draw: a fan told "waiting" with someone still ahead, asked after a fan with a later place
    /// had already heard "admitted". Places come from the store's draw (<see cref="DrawReader"/>), and every place a
    /// fan was told must match it.
    /// </summary>
    private void Fairness()
    {
        var placed = fans.Select(f => (Fan: f, Place: draw.PlaceOf(f.TicketId))).Where(x => x.Place > 0).OrderBy(x => x.Place).ToArray();
        var joined = fans.Count(f => f.TicketId is not null);
        var distinct = placed.Select(x => x.Place).Distinct().Count();
        var outOfRange = placed.Count(x => x.Place > draw.Count);
        var toldOther = fans.Count(f => f.PlaceSeen > 0 && f.PlaceSeen != draw.PlaceOf(f.TicketId));
        var changed = fans.Count(f => f.PlaceChanged);
        Console.WriteLine($"draw: {draw.Count} fans in the pre-queue at the opening, {joined} joins answered, {placed.Length} places from the store's draw " +
            $"({draw.ReadLate} read after the opening), {fans.Count(f => f.PlaceSeen > 0)} fans were told their place before admission");
        // A fault: two fans with one place, a place outside the draw, a fan told a place other than the draw's, or told two.
        Check("draw_faults", (placed.Length - distinct) + outOfRange + toldOther + changed, null);
        if (joined != placed.Length)
        {
            Console.WriteLine($"  {joined - placed.Length} fans' places could not be read from the store (admitted before the second read); they are left out of the overtake check");
        }

        var overtakes = 0;
        var earliestAdmittedBehind = double.PositiveInfinity;
        for (var i = placed.Length - 1; i >= 0; i--)
        {
            var fan = placed[i].Fan;
            if (!double.IsNaN(fan.LastWaitingAheadAskedAt) && fan.LastWaitingAheadAskedAt > earliestAdmittedBehind)
            {
                overtakes++;
            }

            if (!double.IsNaN(fan.AdmittedAt))
            {
                earliestAdmittedBehind = Math.Min(earliestAdmittedBehind, fan.AdmittedAt);
            }
        }

        Check("overtakes", overtakes, overtakes == 0);
        var wentUp = fans.Sum(f => f.AheadWentUp);
        Check("ahead_went_up", wentUp, wentUp == 0);
    }

    /// <summary>
    /// Sold out is a figure, not an audit zero: a loaded machine may end the sale before the last seats went round
    /// (the cap lets 1.5 fans per seat left in per pass lifetime). Once it happened, every waiting fan must hear it.
    /// </summary>
    private void SoldOut()
    {
        if (double.IsNaN(monitor.SoldOutAt))
        {
            Console.WriteLine($"NOT sold out within the sale's {settings.SaleTimeoutSeconds} s; fans still waiting when it ended: {fans.Count(f => f.Outcome == "waiting")}");
            return;
        }

        Console.WriteLine($"time to sold out: {(monitor.SoldOutAt - openingAt) / 1000:F1} s after the opening (inventory 0 available, 0 held); " +
            $"the room's stats said soldOut {(monitor.RoomSoldOutAt - monitor.SoldOutAt) / 1000:F1} s after that");
        var told = fans.Where(f => !double.IsNaN(f.SoldOutAt)).Select(f => (f.SoldOutAt - monitor.SoldOutAt) / 1000).OrderBy(x => x).ToArray();
        if (told.Length > 0)
        {
            Console.WriteLine($"fans told sold out: {told.Length:N0}; after it happened: p50 {At(told, 0.5):F1} s, p99 {At(told, 0.99):F1} s, " +
                $"max {told[^1]:F1} s (at their next poll; earliest {told[0]:F1} s)");
        }

        Check("fans_never_told", fans.Count(f => f.Outcome == "waiting"), null);
    }

    private async Task DatabaseAsync()
    {
        Console.WriteLine($"orders by status (0 pending, 1 payment pending, 2 paid, 3 expired, 4 cancelled): " +
            string.Join(", ", (await audit.OrdersByStatusAsync()).Select(x => $"{x.Status}: {x.Count}")));
        var tickets = await audit.TicketsAsync();
        Console.WriteLine($"tickets issued: {tickets} of {settings.Seats} seats; every order final {(double.IsNaN(settledSeconds) ? "NOT within the limit" : $"{settledSeconds:F1} s")} after the last fan");
        Check("seats_sold_twice", await audit.SeatsSoldTwiceAsync(), null);
        Check("orders_not_final", await audit.OrdersNotFinalAsync(), null);
        Check("tickets_without_done_payment", await audit.TicketsWithoutDonePaymentAsync(), null);
        Check("done_payments_without_tickets", await audit.DonePaymentsWithoutTicketsAsync(), null);
        Check("provider_charges_without_tickets", await audit.ProviderChargesWithoutTicketsAsync(toss.OrdersWithDonePayments()), null);
    }

    private void Latencies()
    {
        foreach (var kind in new[] { "join", "status", "seat-statuses", "hold", "confirm", "cancel" })
        {
            var (count, p50, p99) = recorder.Percentiles(kind);
            Console.WriteLine($"latency {kind,-13} n={count,7:N0}  p50 {p50,8:F1} ms  p99 {p99,8:F1} ms");
        }

        Console.WriteLine($"run: opening to last fan {(endAt - openingAt) / 1000:F1} s");
    }

    /// <summary>An audit line; a null verdict means "must be zero".</summary>
    private void Check(string name, double value, bool? ok)
    {
        var passed = ok ?? value == 0;
        if (!passed)
        {
            _failures++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"AUDIT {name}={value} {(passed ? "ok" : "FAIL")}"));
    }

    private static double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];
}
