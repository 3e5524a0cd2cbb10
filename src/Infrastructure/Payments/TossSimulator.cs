using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Payments;

/// <summary>An HTTP request as the simulator sees it (the in-process handler and the tests' fake server both build one).</summary>
public sealed record TossSimulatorRequest(string Method, string Path, string? Authorization, string? IdempotencyKey, string? TestCode, string? Body);

public sealed record TossSimulatorResponse(int Status, string Body);

/// <summary>
/// Toss Payments v1 as TOSS.md describes it, in memory: Basic auth with the secret key, the 10-minute confirm
/// window, the card status flow, idempotency replay by (key, API key, URL, method) with 409
/// <c>IDEMPOTENT_REQUEST_PROCESSING</c> while the first request runs, and the <c>TossPayments-Test-Code</c>
/// header. It also plays the payment widget (<see cref="Authorize"/>). It counts charges and refunds.
/// </summary>
/// <remarks>
/// Only final answers are remembered for idempotency replay (2xx and final 4xx). A transient error (5xx,
/// <c>PROVIDER_ERROR</c>) did not execute anything, so a retry with the same key runs again, as it does at Toss.
/// </remarks>
public sealed class TossSimulator(TimeProvider clock, string secretKey) : ISimulatedCheckout
{
    public static readonly TimeSpan ConfirmWindow = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan Kst = TimeSpan.FromHours(9);

    /// <summary>HTTP status of each error code (TOSS.md's table); a test code not listed answers 400.</summary>
    private static readonly Dictionary<string, int> StatusOfCode = new(StringComparer.Ordinal)
    {
        ["ALREADY_PROCESSED_PAYMENT"] = 400,
        ["PROVIDER_ERROR"] = 400,
        ["CARD_PROCESSING_ERROR"] = 400,
        ["IDEMPOTENT_REQUEST_PROCESSING"] = 409,
        ["FAILED_INTERNAL_SYSTEM_PROCESSING"] = 500,
        ["FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING"] = 500,
        ["UNKNOWN_PAYMENT_ERROR"] = 500,
        ["REJECT_CARD_PAYMENT"] = 403,
        ["REJECT_CARD_COMPANY"] = 403,
        ["REJECT_ACCOUNT_PAYMENT"] = 403,
        ["EXCEED_MAX_AUTH_COUNT"] = 403,
        ["EXCEED_MAX_ONE_DAY_AMOUNT"] = 403,
        ["FDS_ERROR"] = 403,
        ["INVALID_PASSWORD"] = 403,
        ["NOT_FOUND_PAYMENT_SESSION"] = 404,
        ["NOT_FOUND_PAYMENT"] = 404,
        ["UNAUTHORIZED_KEY"] = 401,
        ["INVALID_API_KEY"] = 401,
        ["FORBIDDEN_REQUEST"] = 403,
        ["NOT_CANCELABLE_AMOUNT"] = 403,
        ["NOT_CANCELABLE_PAYMENT"] = 403,
        ["EXCEED_MAX_REFUND_DUE"] = 403,
        ["FAILED_REFUND_PROCESS"] = 500,
        ["FAILED_METHOD_HANDLING_CANCEL"] = 500,
        ["COMMON_ERROR"] = 500,
        ["FORBIDDEN_CONSECUTIVE_REQUEST"] = 403,
    };

    /// <summary>Answers that executed nothing: not remembered, so a retry with the same key runs again.</summary>
    private static readonly HashSet<string> Transient =
    [
        "PROVIDER_ERROR", "CARD_PROCESSING_ERROR", "IDEMPOTENT_REQUEST_PROCESSING", "FAILED_INTERNAL_SYSTEM_PROCESSING",
        "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING", "UNKNOWN_PAYMENT_ERROR", "FAILED_REFUND_PROCESS", "FAILED_METHOD_HANDLING_CANCEL",
        "COMMON_ERROR", "FORBIDDEN_CONSECUTIVE_REQUEST",
    ];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimulatedPayment> _payments = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string ApiKey, string Path, string Method), TossSimulatorResponse?> _idempotency = [];
    private readonly string _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(secretKey + ":"));
    private int _charges;
    private int _refunds;

    /// <summary>Payments that became DONE (a replayed answer is not a new charge).</summary>
    public int Charges => Volatile.Read(ref _charges);

    public int Refunds => Volatile.Read(ref _refunds);

    /// <summary>The widget: the buyer chose a card and authenticated; the merchant has 10 minutes to confirm.</summary>
    public string Authorize(string orderId, long amount, string orderName, string? testCode = null)
    {
        var key = "tsim" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..12];
        lock (_gate)
        {
            _payments[key] = new SimulatedPayment(key, orderId, orderName, amount, clock.GetUtcNow()) { TestCode = testCode };
        }

        return key;
    }

    /// <summary>The statuses of every payment of an order, oldest first (for tests and diagnostics).</summary>
    public IReadOnlyList<string> StatusesOf(string orderId)
    {
        lock (_gate)
        {
            return _payments.Values.Where(p => p.OrderId == orderId).OrderBy(p => p.RequestedAt).Select(p => p.Status).ToList();
        }
    }

    /// <summary>Every order id with a payment in status DONE.</summary>
    public IReadOnlyCollection<string> OrdersWithDonePayments()
    {
        lock (_gate)
        {
            return _payments.Values.Where(p => p.Status == "DONE").Select(p => p.OrderId).ToHashSet();
        }
    }

    /// <summary>
    /// Answers one request. <paramref name="whileProcessing"/> runs after the request is registered as in flight
    /// (its idempotency key taken) and before it executes: the fake server's delay and timeout faults.
    /// </summary>
    public async Task<TossSimulatorResponse> HandleAsync(TossSimulatorRequest request, Func<Task>? whileProcessing = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Authorization, _expectedAuthorization, StringComparison.Ordinal))
        {
            return Error("UNAUTHORIZED_KEY", "The API key is wrong or missing.", 401);
        }

        (string, string, string, string)? slot = null;
        if (request.Method == "POST" && request.IdempotencyKey is { } key)
        {
            if (key.Length is 0 or > 300)
            {
                return Error("INVALID_IDEMPOTENCY_KEY", "The Idempotency-Key must be 1 to 300 characters.", 400);
            }

            slot = (key, request.Authorization!, request.Path, request.Method);
            lock (_gate)
            {
                if (_idempotency.TryGetValue(slot.Value, out var first))
                {
                    return first ?? Error("IDEMPOTENT_REQUEST_PROCESSING", "A request with this Idempotency-Key is still being processed.", 409);
                }

                _idempotency[slot.Value] = null;
            }
        }

        TossSimulatorResponse response;
        try
        {
            if (whileProcessing is not null)
            {
                await whileProcessing();
            }

            lock (_gate)
            {
                response = Route(request);
            }
        }
        catch
        {
            Forget(slot);
            throw;
        }

        lock (_gate)
        {
            if (slot is { } s)
            {
                if (IsFinal(response))
                {
                    _idempotency[s] = response;
                }
                else
                {
                    _idempotency.Remove(s);
                }
            }
        }

        return response;
    }

    private void Forget((string, string, string, string)? slot)
    {
        if (slot is { } s)
        {
            lock (_gate)
            {
                _idempotency.Remove(s);
            }
        }
    }

    private static bool IsFinal(TossSimulatorResponse response)
    {
        if (response.Status < 400)
        {
            return true;
        }

        if (response.Status >= 500)
        {
            return false;
        }

        var code = JsonNode.Parse(response.Body)?["code"]?.GetValue<string>();
        return code is null || !Transient.Contains(code);
    }

    private TossSimulatorResponse Route(TossSimulatorRequest request)
    {
        var segments = request.Path.Split('?')[0].Trim('/').Split('/');
        if (segments.Length < 3 || segments[0] != "v1" || segments[1] != "payments")
        {
            return Error("NOT_FOUND", "No such API.", 404);
        }

        return (request.Method, segments.Length, segments[2]) switch
        {
            ("POST", 3, "confirm") => Confirm(request),
            ("GET", 4, "orders") => ByOrderId(Uri.UnescapeDataString(segments[3])),
            ("GET", 3, _) => ByPaymentKey(Uri.UnescapeDataString(segments[2])),
            ("POST", 4, _) when segments[3] == "cancel" => Cancel(Uri.UnescapeDataString(segments[2]), request.Body),
            _ => Error("NOT_FOUND", "No such API.", 404),
        };
    }

    private TossSimulatorResponse Confirm(TossSimulatorRequest request)
    {
        string? paymentKey, orderId;
        long amount;
        try
        {
            var body = JsonNode.Parse(request.Body ?? string.Empty);
            paymentKey = body?["paymentKey"]?.GetValue<string>();
            orderId = body?["orderId"]?.GetValue<string>();
            amount = body?["amount"]?.GetValue<long>() ?? -1;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return Error("INVALID_REQUEST", "The body is not valid JSON.", 400);
        }

        if (string.IsNullOrEmpty(paymentKey) || paymentKey.Length > 200 || string.IsNullOrEmpty(orderId)
            || orderId.Length is < 6 or > 64 || !orderId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || amount < 0)
        {
            return Error("INVALID_REQUEST", "paymentKey, orderId and amount are required and well-formed.", 400);
        }

        if (!_payments.TryGetValue(paymentKey, out var payment) || payment.OrderId != orderId)
        {
            return Error("NOT_FOUND_PAYMENT_SESSION", "No payment session with this paymentKey for this order.", 404);
        }

        if (payment.Amount != amount)
        {
            return Error("INVALID_REQUEST", "The amount differs from the amount the buyer authorized.", 400);
        }

        ExpireIfLate(payment);
        switch (payment.Status)
        {
            case "DONE" or "CANCELED" or "PARTIAL_CANCELED":
                return Error("ALREADY_PROCESSED_PAYMENT", "This payment was already processed.", 400);
            case "EXPIRED":
                return Error("NOT_FOUND_PAYMENT_SESSION", "The confirm window of this payment has passed.", 404);
            case "ABORTED":
                return Error(payment.FailureCode!, payment.FailureMessage!, StatusOf(payment.FailureCode!));
        }

        if ((request.TestCode is { Length: > 0 } ? request.TestCode : payment.TestCode) is { Length: > 0 } testCode && secretKey.StartsWith("test_sk", StringComparison.Ordinal))
        {
            var status = StatusOf(testCode);
            if (!Transient.Contains(testCode) && status < 500 && testCode != "ALREADY_PROCESSED_PAYMENT")
            {
                payment.Status = "ABORTED";
                payment.FailureCode = testCode;
                payment.FailureMessage = $"Declined ({testCode}).";
            }

            return Error(testCode, $"Test code {testCode}.", status);
        }

        payment.Status = "DONE";
        payment.ApprovedAt = clock.GetUtcNow();
        payment.BalanceAmount = payment.Amount;
        _charges++;
        return Ok(payment);
    }

    private TossSimulatorResponse ByOrderId(string orderId)
    {
        var payments = _payments.Values.Where(p => p.OrderId == orderId).ToList();
        foreach (var p in payments)
        {
            ExpireIfLate(p);
        }

        var chosen = payments.FirstOrDefault(p => p.Status is "DONE" or "CANCELED" or "PARTIAL_CANCELED")
            ?? payments.OrderByDescending(p => p.RequestedAt).FirstOrDefault();
        return chosen is null ? Error("NOT_FOUND_PAYMENT", "No payment for this order.", 404) : Ok(chosen);
    }

    private TossSimulatorResponse ByPaymentKey(string paymentKey)
    {
        if (!_payments.TryGetValue(paymentKey, out var payment))
        {
            return Error("NOT_FOUND_PAYMENT", "No payment with this paymentKey.", 404);
        }

        ExpireIfLate(payment);
        return Ok(payment);
    }

    private TossSimulatorResponse Cancel(string paymentKey, string? body)
    {
        string? reason;
        long? cancelAmount;
        try
        {
            var json = JsonNode.Parse(body ?? string.Empty);
            reason = json?["cancelReason"]?.GetValue<string>();
            cancelAmount = json?["cancelAmount"]?.GetValue<long>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return Error("INVALID_REQUEST", "The body is not valid JSON.", 400);
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200)
        {
            return Error("INVALID_REQUEST", "cancelReason is required (at most 200 characters).", 400);
        }

        if (!_payments.TryGetValue(paymentKey, out var payment))
        {
            return Error("NOT_FOUND_PAYMENT", "No payment with this paymentKey.", 404);
        }

        if (payment.Status == "CANCELED")
        {
            return Error("ALREADY_CANCELED_PAYMENT", "The payment is already cancelled.", 400);
        }

        if (payment.Status is not ("DONE" or "PARTIAL_CANCELED"))
        {
            return Error("NOT_CANCELABLE_PAYMENT", "Only an approved payment can be cancelled.", 403);
        }

        var amount = cancelAmount ?? payment.BalanceAmount;
        if (amount <= 0 || amount > payment.BalanceAmount)
        {
            return Error("NOT_CANCELABLE_AMOUNT", "The cancel amount exceeds what can be cancelled.", 403);
        }

        payment.BalanceAmount -= amount;
        payment.Status = payment.BalanceAmount == 0 ? "CANCELED" : "PARTIAL_CANCELED";
        payment.Cancels.Add(new JsonObject
        {
            ["transactionKey"] = Guid.NewGuid().ToString("N").ToUpperInvariant(),
            ["cancelReason"] = reason,
            ["cancelAmount"] = amount,
            ["canceledAt"] = Format(clock.GetUtcNow()),
            ["cancelStatus"] = "DONE",
        });
        _refunds++;
        return Ok(payment);
    }

    private void ExpireIfLate(SimulatedPayment payment)
    {
        if (payment.Status is "READY" or "IN_PROGRESS" && clock.GetUtcNow() > payment.RequestedAt + ConfirmWindow)
        {
            payment.Status = "EXPIRED";
        }
    }

    private static int StatusOf(string code) => StatusOfCode.TryGetValue(code, out var status) ? status : 400;

    private static TossSimulatorResponse Error(string code, string message, int status) =>
        new(status, new JsonObject { ["code"] = code, ["message"] = message }.ToJsonString());

    private static TossSimulatorResponse Ok(SimulatedPayment p) => new(200, new JsonObject
    {
        ["mId"] = "tosspayments",
        ["version"] = "2022-11-16",
        ["paymentKey"] = p.PaymentKey,
        ["orderId"] = p.OrderId,
        ["orderName"] = p.OrderName,
        ["type"] = "NORMAL",
        ["status"] = p.Status,
        ["method"] = "카드",
        ["currency"] = "KRW",
        ["requestedAt"] = Format(p.RequestedAt),
        ["approvedAt"] = p.ApprovedAt is { } at ? Format(at) : null,
        ["totalAmount"] = p.Amount,
        ["balanceAmount"] = p.Status is "DONE" or "CANCELED" or "PARTIAL_CANCELED" ? p.BalanceAmount : p.Amount,
        ["lastTransactionKey"] = Guid.NewGuid().ToString("N").ToUpperInvariant(),
        ["cancels"] = p.Cancels.Count == 0 ? null : new JsonArray(p.Cancels.Select(c => (JsonNode)c.DeepClone()).ToArray()),
        ["failure"] = p.FailureCode is null ? null : new JsonObject { ["code"] = p.FailureCode, ["message"] = p.FailureMessage },
        ["receipt"] = new JsonObject { ["url"] = $"https://dashboard.tosspayments.com/receipt/{p.PaymentKey}" },
    }.ToJsonString());

    private static string Format(DateTimeOffset at) => at.ToOffset(Kst).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private sealed class SimulatedPayment(string paymentKey, string orderId, string orderName, long amount, DateTimeOffset requestedAt)
    {
        public string PaymentKey { get; } = paymentKey;

        public string OrderId { get; } = orderId;

        public string OrderName { get; } = orderName;

        public long Amount { get; } = amount;

        public long BalanceAmount { get; set; } = amount;

        public DateTimeOffset RequestedAt { get; } = requestedAt;

        public string Status { get; set; } = "IN_PROGRESS";

        public DateTimeOffset? ApprovedAt { get; set; }

        public string? FailureCode { get; set; }

        public string? FailureMessage { get; set; }

        /// <summary>The Toss error code every confirmation of this payment answers (chosen in the simulated window).</summary>
        public string? TestCode { get; init; }

        public List<JsonObject> Cancels { get; } = [];
    }
}

/// <summary>The simulated provider's transport: hands each request to the in-process <see cref="TossSimulator"/>, no network.</summary>
internal sealed class SimulatedTossHandler(TossSimulator simulator) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var answer = await simulator.HandleAsync(new TossSimulatorRequest(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.FirstOrDefault() : null,
            request.Headers.TryGetValues("TossPayments-Test-Code", out var codes) ? codes.FirstOrDefault() : null,
            body));
        return new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status)
        {
            Content = new StringContent(answer.Body, Encoding.UTF8, "application/json"),
            RequestMessage = request,
        };
    }
}
