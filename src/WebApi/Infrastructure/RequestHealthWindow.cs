using System.Diagnostics;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// This instance's recent health for the waiting room's controller: p99 latency and share of 5xx answers over the
/// last <see cref="WindowSeconds"/> seconds. One bucket per second, each a latency histogram (bins 25% apart, from 0.1 ms
/// to about 2 minutes), so recording is a few interlocked adds and reading is a sum over at most 10 × 64 counters.
/// Long-lived event streams (the live seat map) are left out: their duration is the fan's stay, not a latency.
/// </summary>
internal sealed class RequestHealthWindow(TimeProvider clock)
{
    public const int WindowSeconds = 10;
    private const int Bins = 64;
    private const double FirstBinMs = 0.1;
    private const double Growth = 1.25;

    private readonly Bucket[] _buckets = CreateBuckets();

    public void Record(double elapsedMs, bool serverError)
    {
        var second = clock.GetUtcNow().ToUnixTimeSeconds();
        var bucket = _buckets[second % WindowSeconds];
        bucket.ClaimFor(second);
        Interlocked.Increment(ref bucket.Counts[BinOf(elapsedMs)]);
        if (serverError)
        {
            Interlocked.Increment(ref bucket.Errors);
        }
    }

    /// <summary>Requests, p99 (upper edge of the bin holding the 99th percentile) and error rate over the window.</summary>
    public (long Requests, double P99Ms, double ErrorRate) Read()
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var counts = new long[Bins];
        long total = 0;
        long errors = 0;
        foreach (var bucket in _buckets)
        {
            if (now - Volatile.Read(ref bucket.Second) >= WindowSeconds)
            {
                continue;
            }

            for (var i = 0; i < Bins; i++)
            {
                var c = Volatile.Read(ref bucket.Counts[i]);
                counts[i] += c;
                total += c;
            }

            errors += Volatile.Read(ref bucket.Errors);
        }

        if (total == 0)
        {
            return (0, 0, 0);
        }

        var rank = (long)Math.Ceiling(total * 0.99);
        long seen = 0;
        var p99 = UpperEdge(Bins - 1);
        for (var i = 0; i < Bins; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                p99 = UpperEdge(i);
                break;
            }
        }

        return (total, Math.Round(p99, 3), (double)errors / total);
    }

    /// <summary>Middleware: times every request (event streams excepted) and counts 5xx answers.</summary>
    public static Func<HttpContext, RequestDelegate, Task> Middleware => static async (context, next) =>
    {
        var start = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            if (context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) != true)
            {
                context.RequestServices.GetRequiredService<RequestHealthWindow>()
                    .Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds, failed || context.Response.StatusCode >= 500);
            }
        }
    };

    private static int BinOf(double ms)
    {
        if (ms <= FirstBinMs)
        {
            return 0;
        }

        var bin = (int)Math.Ceiling(Math.Log(ms / FirstBinMs, Growth));
        return Math.Clamp(bin, 0, Bins - 1);
    }

    private static double UpperEdge(int bin) => FirstBinMs * Math.Pow(Growth, bin);

    private static Bucket[] CreateBuckets()
    {
        var buckets = new Bucket[WindowSeconds];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new Bucket();
        }

        return buckets;
    }

    private sealed class Bucket
    {
        public readonly long[] Counts = new long[Bins];
        public long Second = long.MinValue;
        public long Errors;
        private readonly Lock _reset = new();

        /// <summary>A bucket last used WindowSeconds ago or more is cleared before this second counts in it.</summary>
        public void ClaimFor(long second)
        {
            if (Volatile.Read(ref Second) == second)
            {
                return;
            }

            lock (_reset)
            {
                if (Second == second)
                {
                    return;
                }

                Array.Clear(Counts);
                Errors = 0;
                Volatile.Write(ref Second, second);
            }
        }
    }
}
