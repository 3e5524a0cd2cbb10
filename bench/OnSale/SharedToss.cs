using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.OnSale;

/// <summary>
/// The payment provider of the on-sale: the product's own Toss simulation behind real HTTP, shared by both WebApi
/// instances (they run with <c>Payments:Provider=Toss</c> pointed here), as one Toss serves a whole fleet. The
/// embedded simulated provider lives inside each WebApi process, so a checkout on one instance and a confirmation
/// or reconciliation on the other would never meet. The fans' checkout (the widget) is <see cref="Authorize"/>.
/// </summary>
/// <remarks>
/// Outcomes: <c>approve</c>; <c>decline</c> (the card company refuses, Toss's own test code); <c>unknown</c>: Toss
/// approves the payment and the answer is lost on the way back (the connection is cut after processing, on every
/// retry too), so the WebApi answers 202 and only its reconciliation learns the payment is DONE.
/// </remarks>
internal sealed class SharedToss : IAsyncDisposable
{
    private readonly TossSimulator _simulator;
    private readonly ConcurrentDictionary<string, byte> _answersLost = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private int _cutAnswers;

    private SharedToss(WebApplication app, TossSimulator simulator)
    {
        _app = app;
        _simulator = simulator;
    }

    /// <summary>Confirm answers cut after the payment was processed.</summary>
    public int CutAnswers => Volatile.Read(ref _cutAnswers);

    public static async Task<SharedToss> StartAsync(int port, string secretKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var toss = new SharedToss(app, new TossSimulator(TimeProvider.System, secretKey));
        app.Run(toss.HandleAsync);
        await app.StartAsync();
        return toss;
    }

    /// <summary>The payment widget: the fan chose a card; answers the paymentKey to confirm.</summary>
    public string Authorize(string orderId, long amount, string outcome)
    {
        var testCode = outcome == "decline" ? "REJECT_CARD_COMPANY" : null;
        var key = _simulator.Authorize(orderId, amount, $"Order {orderId}", testCode);
        if (outcome == "unknown")
        {
            _answersLost[key] = 0;
        }

        return key;
    }

    /// <summary>Every order id with a payment DONE at the provider: money taken, whatever the WebApi recorded.</summary>
    public IReadOnlyCollection<string> OrdersWithDonePayments() => _simulator.OrdersWithDonePayments();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var answer = await _simulator.HandleAsync(new TossSimulatorRequest(
            request.Method,
            request.Path.Value ?? "/",
            request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : null,
            request.Headers["TossPayments-Test-Code"].ToString() is { Length: > 0 } code ? code : null,
            body));
        if (request.Method == "POST" && request.Path.Value?.EndsWith("/payments/confirm", StringComparison.Ordinal) == true
            && body is not null && _answersLost.ContainsKey(PaymentKeyOf(body)))
        {
            Interlocked.Increment(ref _cutAnswers);
            context.Abort();
            return;
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private static string PaymentKeyOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("paymentKey", out var key) ? key.GetString() ?? string.Empty : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}
