using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.OnSale;

// A whole on-sale against running services (bench/onsale starts them): the set-up, the fans, the audit. Exit code 1
// when an audit zero fails or the admission rate is off by more than 1%.
var settings = OnSaleSettings.FromEnvironment();
var recorder = new Recorder();
await using var toss = await SharedToss.StartAsync(settings.TossPort, settings.TossSecretKey);
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 512,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
    UseCookies = false,
    AutomaticDecompression = System.Net.DecompressionMethods.All,
})
{ Timeout = TimeSpan.FromSeconds(60) };

Console.WriteLine($"on-sale: {settings.Fans:N0} fans, {settings.Seats:N0} seats, {settings.Rate}/s, {settings.Gateways.Length} WaitingRoom instances, " +
    $"pre-queue {settings.PreQueueSeconds} s, {settings.Accounts} accounts, load average {LoadAverage()}");
var setup = new Setup(http, settings);
var performanceId = await setup.CreatePerformanceAsync();
var seatIds = await setup.SeatIdsAsync(performanceId);
var tokens = await setup.AccountTokensAsync();
var roomId = setup.RoomId;
var opensAt = DateTimeOffset.UtcNow.AddSeconds(settings.PreQueueSeconds);
await setup.CreateRoomAsync(performanceId, opensAt);
var openingAt = recorder.Now + (opensAt - DateTimeOffset.UtcNow).TotalMilliseconds;
Console.WriteLine($"performance {performanceId}, room {roomId} opens at {opensAt:HH:mm:ss.fff}");

using var stop = new CancellationTokenSource();
var monitor = new SaleMonitor(http, settings, recorder, roomId, performanceId);
var monitoring = monitor.RunAsync(stop.Token);
var simulation = new FanSimulation(http, settings, recorder, toss, roomId, performanceId, seatIds, tokens, openingAt);
var fans = Enumerable.Range(0, settings.Fans).Select(i => new FanRecord(i)).ToArray();
var joinWindow = Math.Max(1000, openingAt - recorder.Now - 4000);
var joinRandom = new Random(settings.Seed);
var start = recorder.Now + 200;
var visits = fans.Select(f => Task.Run(() => simulation.RunAsync(f, start + (joinRandom.NextDouble() * joinWindow), stop.Token))).ToArray();

var draw = new DrawReader(settings.Redis, roomId);
// The arrivals are read once every join has its answer (they all start 4 s before the opening), before the draw.
while (simulation.JoinsAnswered < settings.Fans && recorder.Now < openingAt - 300)
{
    await Task.Delay(50);
}

await draw.ReadArrivalsAsync();
await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, openingAt + 1500 - recorder.Now)));
await draw.ReadDrawAsync();

var all = Task.WhenAll(visits);
var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, openingAt + (settings.SaleTimeoutSeconds * 1000.0) - recorder.Now))));
if (finished != all)
{
    Console.WriteLine($"the sale did not end within {settings.SaleTimeoutSeconds} s of the opening: the fans still waiting are stopped");
    await stop.CancelAsync();
}

try
{
    await all;
}
catch (OperationCanceledException)
{
    // The fans stopped above; their records say where they were.
}

var endAt = recorder.Now;
Console.WriteLine($"fans done {(endAt - openingAt) / 1000:F1} s after the opening; load average {LoadAverage()}");
var audit = new Audit(settings, performanceId);
var settled = await audit.WaitForFinalOrdersAsync(recorder);
await stop.CancelAsync();
try
{
    await monitoring;
}
catch (OperationCanceledException)
{
    // The monitor ends with the run.
}

var report = new Report(settings, recorder, fans, monitor, draw, audit, toss, openingAt, endAt, settled);
var failures = await report.PrintAsync();
Console.WriteLine($"driver CPU: {System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s (user+system)");
Console.WriteLine(failures == 0 ? "ONSALE PASSED: every audit zero holds" : $"ONSALE FAILED: {failures} audit checks failed");
return failures == 0 ? 0 : 1;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";
