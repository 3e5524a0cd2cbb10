using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>What the fake does to one request instead of (or around) answering it normally.</summary>
public enum FaultKind
{
    None,

    /// <summary>Holds the request in flight for <see cref="Fault.Delay"/>, then processes it (its key is taken meanwhile).</summary>
    Delay,

    /// <summary>Answers 500 <c>FAILED_INTERNAL_SYSTEM_PROCESSING</c> without processing.</summary>
    ServerError,

    /// <summary>Answers 409 <c>IDEMPOTENT_REQUEST_PROCESSING</c> without processing.</summary>
    InFlight,

    /// <summary>Aborts the connection before processing: from the client, Toss is unreachable.</summary>
    ResetBeforeProcessing,

    /// <summary>Processes (records the payment, the idempotent answer) and then aborts the connection.</summary>
    ResetAfterProcessing,

    /// <summary>Answers 403 with <see cref="Fault.TestCode"/> as a final Toss error, without processing.</summary>
    Refuse,
}

/// <summary>A fault; <see cref="TestCode"/> acts as a <c>TossPayments-Test-Code</c> header (a decline).</summary>
public sealed record Fault(FaultKind Kind, TimeSpan Delay = default, string? TestCode = null)
{
    public static readonly Fault None = new(FaultKind.None);

    public static Fault Decline(string code = "REJECT_CARD_PAYMENT") => new(FaultKind.None, TestCode: code);

    public static Fault Refuse(string code) => new(FaultKind.Refuse, TestCode: code);
}

/// <summary>One request as the fault policy sees it.</summary>
public sealed record FakeTossRequest(string Method, string Path);

/// <summary>One request as it arrived, with its <c>Idempotency-Key</c> header (null when it had none).</summary>
public sealed record FakeTossReceived(string Method, string Path, string? IdempotencyKey);

/// <summary>
/// The fake Toss Payments server of the tests: a real Kestrel server on 127.0.0.1 (port 0) answering as TOSS.md says,
/// through <see cref="TossSimulator"/> (auth, 10-minute window, status flow, idempotency with 409 while in flight,
/// the <c>TossPayments-Test-Code</c> header), plus fault injection chosen per request by <see cref="Faults"/>.
/// </summary>
public sealed class FakeTossServer : IAsyncDisposable
{
    public const string SecretKey = "test_sk_fake_toss_server";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _requestWaiters = [];
    private readonly List<FakeTossReceived> _received = [];
    private int _requests;
    private int _inFlight;
    private TaskCompletionSource _idle = Completed();

    private FakeTossServer(WebApplication app, TossSimulator simulator, string baseUrl)
    {
        _app = app;
        Simulator = simulator;
        BaseUrl = baseUrl;
    }

    public TossSimulator Simulator { get; }

    public string BaseUrl { get; }

    /// <summary>Decides the fault for each request; null = no faults.</summary>
    public Func<FakeTossRequest, Fault>? Faults { get; set; }

    public int Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests;
            }
        }
    }

    /// <summary>Every request received so far, in arrival order, with the Idempotency-Key it carried.</summary>
    public IReadOnlyList<FakeTossReceived> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>
    /// Completes once no request is being processed, e.g. a delayed confirmation whose client already gave up;
    /// fails after <paramref name="timeout"/>.
    /// </summary>
    public Task WhenIdleAsync(TimeSpan timeout)
    {
        lock (_gate)
        {
            return _idle.Task.WaitAsync(timeout);
        }
    }

    /// <summary>Completes once the server has received <paramref name="count"/> requests in all; fails after <paramref name="timeout"/>.</summary>
    public Task WhenRequestsAsync(int count, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_requests >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _requestWaiters.Add((count, reached));
            return reached.Task.WaitAsync(timeout);
        }
    }

    public static async Task<FakeTossServer> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var simulator = new TossSimulator(clock, SecretKey);
        FakeTossServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeTossServer(app, simulator, address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private async Task HandleAsync(HttpContext context)
    {
        // The fault is chosen before the request is counted: a test that waits for the count and then changes the
        // faults must not change this request's.
        var fault = Faults?.Invoke(new FakeTossRequest(context.Request.Method, context.Request.Path.Value ?? "/")) ?? Fault.None;
        lock (_gate)
        {
            if (_inFlight++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _requests++;
            _received.Add(new FakeTossReceived(
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Request.Headers.TryGetValue("Idempotency-Key", out var key) ? key.ToString() : null));
            foreach (var waiter in _requestWaiters.Where(w => w.Count <= _requests).ToList())
            {
                _requestWaiters.Remove(waiter);
                waiter.Reached.SetResult();
            }
        }

        try
        {
            await ProcessAsync(context, fault);
        }
        finally
        {
            lock (_gate)
            {
                if (--_inFlight == 0)
                {
                    _idle.SetResult();
                }
            }
        }
    }

    private async Task ProcessAsync(HttpContext context, Fault fault)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        switch (fault.Kind)
        {
            case FaultKind.ResetBeforeProcessing:
                context.Abort();
                return;
            case FaultKind.ServerError:
                await WriteAsync(context, new TossSimulatorResponse(500, "{\"code\":\"FAILED_INTERNAL_SYSTEM_PROCESSING\",\"message\":\"Injected fault.\"}"));
                return;
            case FaultKind.Refuse:
                await WriteAsync(context, new TossSimulatorResponse(403, $"{{\"code\":\"{fault.TestCode}\",\"message\":\"Injected refusal.\"}}"));
                return;
            case FaultKind.InFlight:
                await WriteAsync(context, new TossSimulatorResponse(409, "{\"code\":\"IDEMPOTENT_REQUEST_PROCESSING\",\"message\":\"Injected fault.\"}"));
                return;
        }

        string? Header(string name) => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
        var answer = await Simulator.HandleAsync(
            new TossSimulatorRequest(request.Method, request.Path.Value ?? "/", Header("Authorization"), Header("Idempotency-Key"), fault.TestCode ?? Header("TossPayments-Test-Code"), body),
            fault.Kind == FaultKind.Delay ? () => Task.Delay(fault.Delay) : null);
        if (fault.Kind == FaultKind.ResetAfterProcessing)
        {
            context.Abort();
            return;
        }

        await WriteAsync(context, answer);
    }

    private static async Task WriteAsync(HttpContext context, TossSimulatorResponse answer)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body, CancellationToken.None);
    }
}
