// Opens many live seat-map streams on one WebApi instance, makes seat changes through the API, and measures how
// long each change takes to reach every listener, and how much the server's memory grew per listener.
//
//   dotnet run -c Release --project bench/SeatStreamLoad -- --url http://127.0.0.1:5000 --listeners 5000 --rounds 20 --pid <WebApi pid>
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

var options = Args.Parse(args);
var url = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5000"));
var listeners = int.Parse(options.GetValueOrDefault("listeners", "5000"), CultureInfo.InvariantCulture);
var rounds = int.Parse(options.GetValueOrDefault("rounds", "20"), CultureInfo.InvariantCulture);
var performance = long.Parse(options.GetValueOrDefault("performance", "1"), CultureInfo.InvariantCulture);
int? pid = options.TryGetValue("pid", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : null;

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };

// The demo fan holds and releases one seat per round.
var login = await http.PostAsJsonAsync("/api/accounts/login", new { email = "fan@demo.ticketing", password = "fan-demo-1" });
login.EnsureSuccessStatusCode();
var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();

var before = Rss(pid);
var clock = Stopwatch.StartNew();
var arrivals = new ConcurrentDictionary<long, ConcurrentBag<double>>();
var ready = 0;
using var stop = new CancellationTokenSource();
var readers = new List<Task>(listeners);
for (var i = 0; i < listeners; i++)
{
    readers.Add(Task.Run(async () =>
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/performances/{performance}/seats/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        var first = true;
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                if (first)
                {
                    first = false;
                    Interlocked.Increment(ref ready);
                    continue;
                }

                var now = clock.Elapsed.TotalMilliseconds;
                using var data = JsonDocument.Parse(line.AsMemory(6));
                if (data.RootElement.TryGetProperty("changes", out var changes))
                {
                    foreach (var change in changes.EnumerateArray())
                    {
                        arrivals.GetOrAdd(change[0].GetInt64(), _ => []).Add(now);
                    }
                }
            }
        }
    }));
    if (i % 250 == 249)
    {
        await Task.Delay(50);
    }
}

var opening = Stopwatch.StartNew();
while (Volatile.Read(ref ready) < listeners && opening.Elapsed < TimeSpan.FromSeconds(120))
{
    await Task.Delay(100);
}

Console.WriteLine($"listeners open: {ready} of {listeners} in {opening.Elapsed.TotalSeconds:F1} s");
await Task.Delay(2000);
var after = Rss(pid);

var latencies = new List<double>();
var late = 0;
using var fan = new HttpClient(new SocketsHttpHandler()) { BaseAddress = url };
fan.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
for (var round = 0; round < rounds; round++)
{
    // A seat of the demo's last section, far from anything a person might be holding.
    var seat = 4900L + round;
    var sent = clock.Elapsed.TotalMilliseconds;
    var hold = await fan.PostAsJsonAsync($"/api/performances/{performance}/holds", new { seatIds = new[] { seat } });
    if (!hold.IsSuccessStatusCode)
    {
        Console.WriteLine($"round {round}: hold answered {(int)hold.StatusCode} {await hold.Content.ReadAsStringAsync()}");
        continue;
    }

    var orderId = (await hold.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
    var waiting = Stopwatch.StartNew();
    while ((!arrivals.TryGetValue(seat, out var got) || got.Count < ready) && waiting.Elapsed < TimeSpan.FromSeconds(5))
    {
        await Task.Delay(20);
    }

    var times = arrivals.TryGetValue(seat, out var all) ? all.ToArray() : [];
    late += ready - times.Length;
    latencies.AddRange(times.Select(t => t - sent));
    (await fan.DeleteAsync($"/api/orders/{orderId}")).EnsureSuccessStatusCode();
    await Task.Delay(600);
}

latencies.Sort();
double Percentile(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
Console.WriteLine($"deliveries: {latencies.Count} ({rounds} changes x {ready} listeners), missing after 5 s: {late}");
Console.WriteLine($"change -> listener latency ms: p50 {Percentile(0.50):F0}, p90 {Percentile(0.90):F0}, p99 {Percentile(0.99):F0}, max {Percentile(1.0):F0}");
if (pid is not null)
{
    Console.WriteLine($"server RSS: {before / 1048576.0:F0} MiB before, {after / 1048576.0:F0} MiB with {ready} listeners: {(after - before) / (double)Math.Max(1, ready) / 1024:F1} KiB per listener");
}

await stop.CancelAsync();
await Task.WhenAll(readers.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

static long Rss(int? pid)
{
    if (pid is null)
    {
        return 0;
    }

    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

internal static class Args
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }
}
