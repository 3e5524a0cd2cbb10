using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Payments;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Xunit.Abstractions;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>
/// A thousand confirmations while a fifth of Toss calls fail at random. Whatever happens, every order ends paid
/// with its tickets and exactly one DONE payment at Toss, or unpaid with no DONE payment left at Toss.
/// </summary>
public sealed class PaymentChaosTests(ITestOutputHelper output)
{
    private const int Fans = 250;
    private const int OrdersPerFan = 4;
    private const long FirstSeat = 2001;

    [Fact]
    public async Task A_thousand_confirmations_with_a_fifth_of_toss_calls_faulted_end_consistent()
    {
        var watch = Stopwatch.StartNew();
        // The breaker has its own tests; here it would turn a burst of injected faults on a busy machine into
        // a run where almost nothing reaches Toss, which proves consistency but not much else.
        await using var p = await PaymentApi.StartAsync(api => api.With("Payments:Toss:CircuitFailureRatio", "1"), attemptTimeoutMs: 300);
        var fans = new HttpClient[Fans];
        fans[0] = await p.Api.FanAsync(); // starts the host once, before the crowd
        await Parallel.ForEachAsync(Enumerable.Range(1, Fans - 1), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => fans[i] = await p.Api.FanAsync());
        var orders = new (HttpClient Fan, string OrderId, long Amount)[Fans * OrdersPerFan];
        await Parallel.ForEachAsync(Enumerable.Range(0, orders.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var fan = fans[i % Fans];
            var (orderId, amount) = await PaymentApi.HoldAsync(fan, FirstSeat + i);
            orders[i] = (fan, orderId, amount);
        });
        output.WriteLine($"setup: {watch.Elapsed.TotalSeconds:F1} s");

        var random = new Random(20261121);
        var faults = new Dictionary<FaultKind, int>();
        var declines = 0;
        p.Toss.Faults = _ =>
        {
            lock (random)
            {
                if (random.NextDouble() >= 0.2)
                {
                    return Fault.None;
                }

                var fault = random.Next(6) switch
                {
                    0 => new Fault(FaultKind.Delay, TimeSpan.FromMilliseconds(600)),
                    1 => new Fault(FaultKind.ResetAfterProcessing),
                    2 => new Fault(FaultKind.ResetBeforeProcessing),
                    3 => new Fault(FaultKind.ServerError),
                    4 => new Fault(FaultKind.InFlight),
                    _ => Fault.Decline(),
                };
                if (fault.TestCode is not null)
                {
                    declines++;
                }
                else
                {
                    faults[fault.Kind] = faults.GetValueOrDefault(fault.Kind) + 1;
                }

                return fault;
            }
        };
        var answers = new HttpStatusCode[orders.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, orders.Length), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var (fan, orderId, amount) = orders[i];
            answers[i] = (await PaymentApi.ConfirmAsync(fan, p.Checkout(orderId, amount), orderId, amount)).StatusCode;
        });
        output.WriteLine($"confirmations done: {watch.Elapsed.TotalSeconds:F1} s; Toss requests {p.Toss.Requests}; faults {string.Join(", ", faults.Select(kv => $"{kv.Key}={kv.Value}"))}, declines {declines}");
        output.WriteLine($"answers: {string.Join(", ", answers.GroupBy(a => a).Select(g => $"{(int)g.Key}={g.Count()}"))}");
        Assert.All(answers, a => Assert.True((int)a < 500 || a == HttpStatusCode.ServiceUnavailable, $"answered {(int)a}"));

        p.Toss.Faults = null;

        // Confirmations our client gave up on may still be processed at Toss: that is the point of the case.
        await p.Toss.WhenIdleAsync(TimeSpan.FromSeconds(30));
        var reconciled = new List<ReconciliationReport>();
        async Task ReconcileUntilQuietAsync()
        {
            ReconciliationReport report;
            var rounds = 0;
            do
            {
                report = await p.SendAsync(new ReconcilePayments());
                reconciled.Add(report);
            }
            while (report.Total > 0 && ++rounds < 50);
        }

        // First within Toss's confirmation window (found payments complete), then after it (nothing else can).
        p.Api.Clock.Advance(TimeSpan.FromMinutes(3));
        await ReconcileUntilQuietAsync();
        p.Api.Clock.Advance(TimeSpan.FromMinutes(15));
        await ReconcileUntilQuietAsync();
        output.WriteLine($"reconciliation: paid {reconciled.Sum(r => r.Paid)}, released {reconciled.Sum(r => r.Released)}, refunded {reconciled.Sum(r => r.Refunded)}, deferred {reconciled.Sum(r => r.Deferred)}");

        var ids = orders.Select(o => Guid.Parse(o.OrderId)).ToList();
        var states = await p.QueryAsync(db => db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Status));
        var tickets = await p.QueryAsync(db => db.Tickets.AsNoTracking().GroupBy(t => t.OrderId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        var payments = await p.QueryAsync(db => db.Payments.AsNoTracking().ToListAsync());
        var doneAtToss = p.Toss.Simulator.OrdersWithDonePayments();
        int paid = 0, unpaid = 0;
        foreach (var (_, orderId, _) in orders)
        {
            var id = Guid.Parse(orderId);
            var atToss = p.Toss.Simulator.StatusesOf(orderId);
            Assert.NotEqual(OrderStatus.PaymentPending, states[id]);
            if (states[id] == OrderStatus.Paid)
            {
                paid++;
                Assert.Equal(1, atToss.Count(s => s == "DONE"));
                Assert.Equal(1, tickets.GetValueOrDefault(id));
                Assert.Equal(PaymentStatus.Done, payments.Single(x => x.OrderId == id).Status);
            }
            else
            {
                unpaid++;
                Assert.DoesNotContain(orderId, doneAtToss);
                Assert.Equal(0, tickets.GetValueOrDefault(id));
                Assert.DoesNotContain(payments, x => x.OrderId == id && x.Status == PaymentStatus.Done);
            }
        }

        output.WriteLine($"orders: {orders.Length}; paid {paid} (one DONE payment each, with tickets); not paid {unpaid} (no DONE payment left); " +
            $"pending after reconciliation {states.Values.Count(s => s == OrderStatus.PaymentPending)}; charges {p.Toss.Simulator.Charges}, refunds {p.Toss.Simulator.Refunds}; {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(orders.Length, paid + unpaid);
        Assert.True(paid > orders.Length / 2, $"only {paid} paid");
        Assert.Equal(paid, p.Toss.Simulator.Charges - p.Toss.Simulator.Refunds);
    }
}
