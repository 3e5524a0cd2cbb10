using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Payments;

/// <summary>One answer from Toss: HTTP status, body, and the error code when there is one.</summary>
internal sealed record TossReply(HttpStatusCode Status, string Body, string? Code)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// The Toss Payments v1 client (TOSS.md): Basic auth with <c>base64(secretKey + ":")</c>, an Idempotency-Key per
/// operation, every call through the client's resilience handler (<see cref="TossResilience"/>), and each error code read per the table.
/// </summary>
internal sealed partial class TossPaymentGateway(
    HttpClient http,
    IOptions<PaymentOptions> options,
    ILogger<TossPaymentGateway> logger) : IPaymentGateway
{
    private readonly AuthenticationHeaderValue _authorization = new(
        "Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretKeyOf(options.Value) + ":")));

    public async Task<GatewayOutcome> ConfirmAsync(string paymentKey, string orderId, long amount, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["paymentKey"] = paymentKey, ["orderId"] = orderId, ["amount"] = amount }.ToJsonString();

        // One key per payment of the order: a retry of this confirmation replays its answer, while a second card
        // after a decline (a new paymentKey) is a new operation rather than a replay of the decline.
        var reply = await SendAsync("confirm", orderId, HttpMethod.Post, "v1/payments/confirm", body, $"confirm:{orderId}:{paymentKey}", cancellationToken);
        switch (reply)
        {
            case { Reply.IsSuccess: true }:
                return FromPayment(reply.Reply!);
            case { Reply.Code: "ALREADY_PROCESSED_PAYMENT" }:
                // Not a failure: the payment exists; its status is the answer.
                return await GetByOrderIdAsync(orderId, cancellationToken);
            case { Reply: { } r } when (int)r.Status < 500 && !TossResilience.TransientCodes.Contains(r.Code ?? string.Empty):
                return new GatewayOutcome(GatewayOutcomeKind.Refused, null, r.Code, MessageOf(r));
        }

        // Outcome unknown (5xx, network, timeouts, open circuit, transient codes exhausted): look up by orderId first.
        var lookup = await GetByOrderIdAsync(orderId, cancellationToken);
        return lookup.Kind == GatewayOutcomeKind.Approved && lookup.Payment!.PaymentKey == paymentKey
            ? lookup
            : GatewayOutcome.Unknown(reply.Reply?.Code ?? reply.Fault ?? "UNKNOWN", "The provider's answer to the confirmation is unknown.");
    }

    public async Task<GatewayOutcome> GetByOrderIdAsync(string orderId, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync("lookup", orderId, HttpMethod.Get, $"v1/payments/orders/{Uri.EscapeDataString(orderId)}", null, null, cancellationToken);
        return reply switch
        {
            { Reply.IsSuccess: true } => FromPayment(reply.Reply!),
            { Reply: { Status: HttpStatusCode.NotFound } r } => new GatewayOutcome(GatewayOutcomeKind.NotFound, null, r.Code, MessageOf(r)),
            _ => GatewayOutcome.Unknown(reply.Reply?.Code ?? reply.Fault ?? "UNKNOWN", "The provider could not be asked."),
        };
    }

    public async Task<GatewayOutcome> CancelAsync(string paymentKey, string refundId, string reason, long? amount, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["cancelReason"] = reason };
        if (amount is { } a)
        {
            body["cancelAmount"] = a;
        }

        var reply = await SendAsync("cancel", refundId, HttpMethod.Post, $"v1/payments/{Uri.EscapeDataString(paymentKey)}/cancel", body.ToJsonString(), $"cancel:{refundId}", cancellationToken);
        switch (reply)
        {
            case { Reply.IsSuccess: true }:
                return FromPayment(reply.Reply!);
            case { Reply.Code: "ALREADY_CANCELED_PAYMENT" or "ALREADY_REFUND_PAYMENT" }:
            {
                var lookup = await SendAsync("lookup", refundId, HttpMethod.Get, $"v1/payments/{Uri.EscapeDataString(paymentKey)}", null, null, cancellationToken);
                return lookup is { Reply.IsSuccess: true }
                    ? FromPayment(lookup.Reply!)
                    : GatewayOutcome.Unknown(lookup.Reply?.Code ?? lookup.Fault ?? "UNKNOWN", "The cancelled payment could not be read.");
            }

            case { Reply: { } r } when (int)r.Status < 500 && !TossResilience.TransientCodes.Contains(r.Code ?? string.Empty):
                return new GatewayOutcome(GatewayOutcomeKind.Refused, null, r.Code, MessageOf(r));
            default:
                return GatewayOutcome.Unknown(reply.Reply?.Code ?? reply.Fault ?? "UNKNOWN", "The provider's answer to the cancel is unknown.");
        }
    }

    /// <summary>
    /// One Toss operation through the client's resilience handler (<see cref="TossResilience"/>): the request is built
    /// once, so every retry carries the same Idempotency-Key. Returns Toss's last answer, or why there was none.
    /// </summary>
    private async Task<(TossReply? Reply, string? Fault)> SendAsync(
        string operation, string orderId, HttpMethod method, string path, string? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = _authorization;
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TossResilience.OperationKey, operation);
        context.Properties.Set(TossResilience.OrderIdKey, orderId);
        request.SetResilienceContext(context);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var reply = new TossReply(response.StatusCode, text, response.IsSuccessStatusCode ? null : TossResilience.CodeOf(text));
            LogAnswer(logger, operation, orderId, (int)reply.Status, reply.Code ?? "-");
            return (reply, null);
        }
        catch (Exception ex) when (ex is BrokenCircuitException or TimeoutRejectedException or HttpRequestException or IOException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var fault = ex switch
            {
                BrokenCircuitException => "CIRCUIT_OPEN",
                TimeoutRejectedException or OperationCanceledException => "TIMEOUT",
                _ => "NETWORK",
            };
            LogNoAnswer(logger, operation, orderId, fault, ex.GetType().Name);
            return (null, fault);
        }
        finally
        {
            request.SetResilienceContext(null);
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>A 2xx whose body is not a Payment object tells us nothing: the outcome stays unknown.</summary>
    private static GatewayOutcome FromPayment(TossReply reply)
    {
        try
        {
            return ReadPayment(reply);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return GatewayOutcome.Unknown("MALFORMED_RESPONSE", "The provider's answer could not be read.");
        }
    }

    private static GatewayOutcome ReadPayment(TossReply reply)
    {
        var json = JsonNode.Parse(reply.Body) ?? throw new FormatException("An empty payment.");
        var payment = new GatewayPayment(
            Required(json, "paymentKey").GetValue<string>(),
            Required(json, "orderId").GetValue<string>(),
            Required(json, "status").GetValue<string>(),
            Required(json, "totalAmount").GetValue<long>(),
            json["balanceAmount"]?.GetValue<long>() ?? Required(json, "totalAmount").GetValue<long>(),
            json["method"]?.GetValue<string>(),
            json["approvedAt"] is JsonValue at && DateTimeOffset.TryParse(at.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var approved) ? approved : null);
        var kind = payment.Status switch
        {
            "DONE" => GatewayOutcomeKind.Approved,
            "CANCELED" or "PARTIAL_CANCELED" => GatewayOutcomeKind.Cancelled,
            _ => GatewayOutcomeKind.NotPaid,
        };
        return new GatewayOutcome(kind, payment, json["failure"]?["code"]?.GetValue<string>(), json["failure"]?["message"]?.GetValue<string>());
    }

    private static JsonNode Required(JsonNode json, string name) =>
        json[name] ?? throw new FormatException($"The payment has no {name}.");

    private static string? MessageOf(TossReply reply)
    {
        try
        {
            return JsonNode.Parse(reply.Body)?["message"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string SecretKeyOf(PaymentOptions options) =>
        options.Provider == PaymentProvider.Simulated ? PaymentOptions.SimulatedSecretKey : options.Toss.SecretKey ?? string.Empty;

    [LoggerMessage(EventId = 4310, Level = LogLevel.Information, Message = "Toss {Operation} for order {OrderId}: HTTP {Status} {Code}")]
    private static partial void LogAnswer(ILogger logger, string operation, string orderId, int status, string code);

    [LoggerMessage(EventId = 4311, Level = LogLevel.Warning, Message = "Toss {Operation} for order {OrderId}: no answer ({Fault}, {Exception})")]
    private static partial void LogNoAnswer(ILogger logger, string operation, string orderId, string fault, string exception);
}
