using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server answering the WebApi's <c>GET /api/inventory</c> as the WebApi does (same JSON), with seat
/// counts and health the test sets; it records every request and the service key it carried.
/// </summary>
internal sealed class FakeInventoryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, (int Available, int Held)> _seats = new();
    private volatile HealthFigures? _health;

    private FakeInventoryServer(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Query, string? ServiceKey)> Requests { get; } = new();

    public TaskCompletionSource FirstRequest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string BaseUrl { get; private set; } = string.Empty;

    public void SetSeats(long performanceId, int available, int held) => _seats[performanceId] = (available, held);

    public void SetHealth(double p99Ms, double errorRate) => _health = new HealthFigures(p99Ms, errorRate);

    public static async Task<FakeInventoryServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeInventoryServer(app);
        app.MapGet("/api/inventory", (HttpContext http) =>
        {
            var query = http.Request.Query["performanceIds"].ToString();
            server.Requests.Enqueue((query, http.Request.Headers["X-Service-Key"].FirstOrDefault()));
            server.FirstRequest.TrySetResult();
            var performances = new List<object>();
            foreach (var part in query.Split(','))
            {
                var id = long.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
                if (server._seats.TryGetValue(id, out var seats))
                {
                    performances.Add(new { performanceId = id, seats = 100, available = seats.Available, held = seats.Held });
                }
            }

            var health = server._health is { } h ? new { windowSeconds = 10, requests = 1000L, p99Ms = h.P99Ms, errorRate = h.ErrorRate } : null;
            return Results.Json(new { asOf = DateTimeOffset.UtcNow, performances, health });
        });
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record HealthFigures(double P99Ms, double ErrorRate);
}
