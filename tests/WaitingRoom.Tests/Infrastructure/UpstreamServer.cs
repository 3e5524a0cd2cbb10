using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>What the upstream saw of one proxied request.</summary>
internal sealed record UpstreamRequest(string Method, string PathAndQuery, string? AccessPass, string? ForwardedFor, string? ForwardedProto, string? ForwardedHost, string? Cookie, string? TraceParent = null);

/// <summary>
/// A small real Kestrel server standing in for the WebApi behind the gateway: it records every request and answers
/// 200, and serves a server-sent event stream whose second event waits until the test releases it.
/// </summary>
internal sealed class UpstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UpstreamServer(WebApplication app) => _app = app;

    public ConcurrentQueue<UpstreamRequest> Requests { get; } = new();

    public TaskCompletionSource ReleaseSecondEvent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string BaseUrl { get; private set; } = string.Empty;

    public static async Task<UpstreamServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new UpstreamServer(app);
        app.MapGet("/health", () => "ok");
        app.MapGet("/api/performances/{id:long}/seats/stream", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync("event: version\nid: 1\ndata: {\"version\":1}\n\n");
            await http.Response.Body.FlushAsync();
            await server.ReleaseSecondEvent.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await http.Response.WriteAsync("event: seats\nid: 2\ndata: {\"version\":2,\"changes\":[[7,1]]}\n\n");
        });
        app.Map("/{**rest}", (HttpContext http) =>
        {
            var h = http.Request.Headers;
            server.Requests.Enqueue(new UpstreamRequest(
                http.Request.Method,
                http.Request.Path + http.Request.QueryString,
                h["X-Access-Pass"].FirstOrDefault(),
                h["X-Forwarded-For"].FirstOrDefault(),
                h["X-Forwarded-Proto"].FirstOrDefault(),
                h["X-Forwarded-Host"].FirstOrDefault(),
                h.Cookie.FirstOrDefault(),
                h["traceparent"].FirstOrDefault()));
            return Results.Text("upstream " + http.Request.Path, "text/plain");
        });
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseSecondEvent.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
