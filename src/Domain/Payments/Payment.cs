using Ticketing.Domain.Common;

namespace Ticketing.Domain.Payments;

/// <summary>
/// A payment the provider approved (status DONE at Toss), recorded with its order. One per order: the unique
/// index on <see cref="OrderId"/> keeps a second approved payment from being recorded for the same order.
/// </summary>
public sealed class Payment
{
    public const int MaxReasonLength = 200;

    private Payment()
    {
        PaymentKey = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public string PaymentKey { get; private set; }

    public long Amount { get; private set; }

    /// <summary>What can still be refunded.</summary>
    public long BalanceAmount { get; private set; }

    public string? Method { get; private set; }

    public PaymentStatus Status { get; private set; }

    public DateTimeOffset ApprovedAt { get; private set; }

    public DateTimeOffset? CancelledAt { get; private set; }

    public string? CancelReason { get; private set; }

    public static Payment Approved(Guid orderId, string paymentKey, long amount, string? method, DateTimeOffset approvedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentKey);
        if (amount <= 0)
        {
            throw new DomainException("payment.amount", "A payment has a positive amount.");
        }

        return new Payment
        {
            Id = Guid.NewGuid(),
            OrderId = orderId,
            PaymentKey = paymentKey,
            Amount = amount,
            BalanceAmount = amount,
            Method = method,
            Status = PaymentStatus.Done,
            ApprovedAt = approvedAt,
        };
    }

    /// <summary>The provider refunded <paramref name="amount"/>; the payment is cancelled once nothing is left.</summary>
    public void Refunded(long amount, string reason, DateTimeOffset now)
    {
        if (amount <= 0 || amount > BalanceAmount)
        {
            throw new DomainException("payment.refund_amount", $"A refund must be between 1 and {BalanceAmount}.");
        }

        BalanceAmount -= amount;
        Status = BalanceAmount == 0 ? PaymentStatus.Cancelled : PaymentStatus.PartiallyCancelled;
        CancelledAt = now;
        CancelReason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
    }
}

public enum PaymentStatus
{
    Done = 0,
    PartiallyCancelled = 1,
    Cancelled = 2,
}
