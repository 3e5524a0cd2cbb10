namespace Ticketing.Domain.Payments;

/// <summary>
/// A fan's cancellation of seats of a paid order. Its id is the Toss <c>cancel:{refundId}</c> idempotency key, so
/// a retried cancellation of the same seats resumes this refund instead of refunding twice.
/// </summary>
public sealed class Refund
{
    private Refund()
    {
        SeatIds = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    /// <summary>The cancelled seats, comma-separated in ascending order.</summary>
    public string SeatIds { get; private set; }

    public long GrossAmount { get; private set; }

    public long FeeAmount { get; private set; }

    public long Amount => GrossAmount - FeeAmount;

    public RefundStatus Status { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public static Refund Request(Guid orderId, IEnumerable<long> seatIds, long gross, long fee, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        OrderId = orderId,
        SeatIds = string.Join(',', seatIds.Order()),
        GrossAmount = gross,
        FeeAmount = fee,
        Status = RefundStatus.Requested,
        RequestedAt = now,
    };

    public void Complete(DateTimeOffset now)
    {
        Status = RefundStatus.Done;
        CompletedAt = now;
    }

    public void Fail(DateTimeOffset now)
    {
        Status = RefundStatus.Failed;
        CompletedAt = now;
    }
}

public enum RefundStatus
{
    Requested = 0,
    Done = 1,
    Failed = 2,
}
