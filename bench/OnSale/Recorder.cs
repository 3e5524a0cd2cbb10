using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ticketing.OnSale;

/// <summary>The run's clock (milliseconds since the driver started) and every latency, per kind of request.</summary>
internal sealed class Recorder
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);

    public double Now => _clock.Elapsed.TotalMilliseconds;

    public void Latency(string kind, double milliseconds) =>
        _latencies.GetOrAdd(kind, static _ => new ConcurrentQueue<double>()).Enqueue(milliseconds);

    /// <summary>Counts one answer of a kind of request by its status code (printed; 5xx are the service's own failures).</summary>
    public void Answer(string kind, int status) => _answers.AddOrUpdate($"{kind} {status}", 1, static (_, n) => n + 1);

    public (int Count, double P50, double P99) Percentiles(string kind)
    {
        if (!_latencies.TryGetValue(kind, out var queue) || queue.IsEmpty)
        {
            return (0, double.NaN, double.NaN);
        }

        var sorted = queue.ToArray();
        Array.Sort(sorted);
        return (sorted.Length, At(sorted, 0.50), At(sorted, 0.99));
    }

    public IEnumerable<KeyValuePair<string, int>> Answers => _answers.OrderBy(a => a.Key, StringComparer.Ordinal);

    public int ServerErrors => _answers.Where(a => int.Parse(a.Key[(a.Key.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 500).Sum(a => a.Value);

    private static double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
