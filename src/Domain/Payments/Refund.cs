using System.Linq.Expressions;
using Ticketing.Domain.Common;

namespace Ticketing.Domain.Payments;

/// <summary>
/// A fan's cancellation of seats of a paid order. Its id is the Toss <c>cancel:{refundId}</c> idempotency key, so
/// every resend of this refund (the fan's repeat or the retry job's) is the same cancel at Toss and never a second one.
/// <para>
/// States: <see cref="RefundStatus.Requested"/> (the cancel is being sent) → <see cref="RefundStatus.Done"/> or
/// <see cref="RefundStatus.Failed"/> (Toss refused for good), or <see cref="RefundStatus.OutcomeUnknown"/> (no answer:
/// resent at <see cref="NextAttemptAt"/> with backoff) → … → <see cref="RefundStatus.Abandoned"/> after the last
/// allowed attempt, for an administrator to settle with Toss.
/// </para>
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

    /// <summary>Sends of the cancel that ended without a known outcome.</summary>
    public int Attempts { get; private set; }

    /// <summary>
    /// When the retry job may resend the cancel. Set at the request already, in case the process that sends it never
    /// learns (or records) the answer; cleared once the outcome is known or the refund is abandoned.
    /// </summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>The provider's code for a refused refund, or the last code seen before it was abandoned.</summary>
    public string? FailureCode { get; private set; }

    /// <summary>
    /// The rule of <see cref="IsOpen"/> as a query predicate: queries filter with it instead of a copy of the rule.
    /// </summary>
    public static readonly Expression<Func<Refund, bool>> Open = r => r.Status == RefundStatus.Requested || r.Status == RefundStatus.OutcomeUnknown;

    /// <summary>
    /// Not settled yet: open, or abandoned to an administrator (<see cref="RefundStatus.Abandoned"/>). While such a refund
    /// exists, no other refund of the order may start.
    /// </summary>
    public static readonly Expression<Func<Refund, bool>> Unsettled =
        r => r.Status == RefundStatus.Requested || r.Status == RefundStatus.OutcomeUnknown || r.Status == RefundStatus.Abandoned;

    private static readonly Func<Refund, bool> IsOpenRule = Open.Compile();

    /// <summary>Whether the cancel may still be sent (again) under this refund's key.</summary>
    public bool IsOpen => IsOpenRule(this);

    public static Refund Request(Guid orderId, IEnumerable<long> seatIds, long gross, long fee, DateTimeOffset now, TimeSpan retryAfter) => new()
    {
        Id = Guid.NewGuid(),
        OrderId = orderId,
        SeatIds = string.Join(',', seatIds.Order()),
        GrossAmount = gross,
        FeeAmount = fee,
        Status = RefundStatus.Requested,
        RequestedAt = now,
        NextAttemptAt = now + retryAfter,
    };

    /// <summary>The seats as numbers, ascending.</summary>
    public IReadOnlyList<long> SeatIdList() =>
        SeatIds.Length == 0 ? [] : SeatIds.Split(',').Select(long.Parse).ToList();

    public void Complete(DateTimeOffset now)
    {
        EnsureOpen("completed");
        Status = RefundStatus.Done;
        CompletedAt = now;
        NextAttemptAt = null;
    }

    /// <summary>The provider refused the cancel for good: nothing was refunded and nothing will be resent.</summary>
    public void Fail(DateTimeOffset now, string? code)
    {
        EnsureOpen("refused");
        Status = RefundStatus.Failed;
        FailureCode = code;
        CompletedAt = now;
        NextAttemptAt = null;
    }

    /// <summary>
    /// A send ended without a known outcome. The refund is resent after <paramref name="retryAfter"/>, unless this
    /// was attempt <paramref name="maxAttempts"/>: then it is abandoned for an administrator.
    /// </summary>
    public void OutcomeUnknown(DateTimeOffset now, string? code, TimeSpan retryAfter, int maxAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        EnsureOpen("left unknown");
        Attempts++;
        FailureCode = code;
        if (Attempts >= maxAttempts)
        {
            Status = RefundStatus.Abandoned;
            CompletedAt = now;
            NextAttemptAt = null;
            return;
        }

        Status = RefundStatus.OutcomeUnknown;
        NextAttemptAt = now + retryAfter;
    }

    private void EnsureOpen(string transition)
    {
        if (!IsOpen)
        {
            throw new DomainException("refund.closed", $"A refund that is {Status} cannot be {transition}.");
        }
    }
}

public enum RefundStatus
{
    Requested = 0,
    Done = 1,
    Failed = 2,

    /// <summary>Sent, no known outcome: the retry job resends it under the same key at <see cref="Refund.NextAttemptAt"/>.</summary>
    OutcomeUnknown = 3,

    /// <summary>Still unknown after the last allowed attempt: an administrator settles it with the provider.</summary>
    Abandoned = 4,
}
