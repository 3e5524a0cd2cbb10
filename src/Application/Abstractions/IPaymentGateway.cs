namespace Ticketing.Application.Abstractions;

/// <summary>
/// The payment provider (Toss Payments, or its in-process simulation). Every call already ran its retries;
/// what comes back is the provider's last word, classified for the caller.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Approves the payment the buyer authorized (<c>POST /v1/payments/confirm</c>).</summary>
    Task<GatewayOutcome> ConfirmAsync(string paymentKey, string orderId, long amount, CancellationToken cancellationToken = default);

    /// <summary>The payment of an order as the provider knows it (<c>GET /v1/payments/orders/{orderId}</c>).</summary>
    Task<GatewayOutcome> GetByOrderIdAsync(string orderId, CancellationToken cancellationToken = default);

    /// <summary>Refunds all (<paramref name="amount"/> null) or part of a payment, idempotently per <paramref name="refundId"/>.</summary>
    Task<GatewayOutcome> CancelAsync(string paymentKey, string refundId, string reason, long? amount, CancellationToken cancellationToken = default);
}

public enum GatewayOutcomeKind
{
    /// <summary>The payment is approved (<c>DONE</c>).</summary>
    Approved,

    /// <summary>The payment is (fully or partly) cancelled.</summary>
    Cancelled,

    /// <summary>A final refusal: a decline, an expired session, an invalid request. Nothing is charged.</summary>
    Refused,

    /// <summary>The provider has no such payment (look-ups only).</summary>
    NotFound,

    /// <summary>The provider knows the payment but it is not approved (READY, IN_PROGRESS, ABORTED, EXPIRED, WAITING_FOR_DEPOSIT).</summary>
    NotPaid,

    /// <summary>We could not learn the outcome (timeouts, resets, 5xx, open circuit).</summary>
    Unknown,
}

/// <summary>What the provider said. <see cref="Payment"/> is present when it sent a payment object.</summary>
public sealed record GatewayOutcome(GatewayOutcomeKind Kind, GatewayPayment? Payment = null, string? Code = null, string? Message = null)
{
    public static GatewayOutcome Unknown(string code, string message) => new(GatewayOutcomeKind.Unknown, null, code, message);
}

/// <summary>The fields of a Toss Payment object we use.</summary>
public sealed record GatewayPayment(
    string PaymentKey,
    string OrderId,
    string Status,
    long TotalAmount,
    long BalanceAmount,
    string? Method,
    DateTimeOffset? ApprovedAt);

/// <summary>
/// The simulated provider's stand-in for the payment widget: authorizes a buyer's payment for an order and returns
/// its paymentKey. Registered only when <c>Payments:Provider</c> is <c>Simulated</c>.
/// </summary>
public interface ISimulatedCheckout
{
    /// <summary>
    /// Authorizes a payment. With <paramref name="testCode"/> its confirmation answers that Toss error code, as the
    /// <c>TossPayments-Test-Code</c> header would: a decline code refuses it, a transient code leaves the outcome unknown.
    /// </summary>
    string Authorize(string orderId, long amount, string orderName, string? testCode = null);
}
