using Ticketing.Domain.Common;
using Ticketing.Domain.Payments;

namespace Ticketing.Domain.UnitTests.Payments;

public sealed class RefundTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    private static Refund NewRefund() => Refund.Request(Guid.NewGuid(), [5, 2], 150_000, 15_000, Now, TimeSpan.FromMinutes(2));

    [Fact]
    public void A_requested_refund_is_due_for_a_retry_in_case_its_answer_is_never_recorded()
    {
        var refund = NewRefund();

        Assert.Equal(RefundStatus.Requested, refund.Status);
        Assert.Equal(Now.AddMinutes(2), refund.NextAttemptAt);
        Assert.Equal([2L, 5L], refund.SeatIdList());
        Assert.Equal(135_000, refund.Amount);
        Assert.True(refund.IsOpen);
    }

    [Fact]
    public void An_unknown_outcome_counts_the_attempt_and_schedules_the_next()
    {
        var refund = NewRefund();

        refund.OutcomeUnknown(Now.AddSeconds(5), "TIMEOUT", TimeSpan.FromSeconds(30), maxAttempts: 3);
        refund.OutcomeUnknown(Now.AddSeconds(40), "NETWORK", TimeSpan.FromSeconds(60), maxAttempts: 3);

        Assert.Equal(RefundStatus.OutcomeUnknown, refund.Status);
        Assert.Equal(2, refund.Attempts);
        Assert.Equal(Now.AddSeconds(100), refund.NextAttemptAt);
        Assert.Equal("NETWORK", refund.FailureCode);
        Assert.True(refund.IsOpen);
    }

    [Fact]
    public void The_last_allowed_unknown_outcome_abandons_the_refund_for_an_administrator()
    {
        var refund = NewRefund();
        refund.OutcomeUnknown(Now, "TIMEOUT", TimeSpan.FromSeconds(30), maxAttempts: 2);

        refund.OutcomeUnknown(Now.AddMinutes(1), "CIRCUIT_OPEN", TimeSpan.FromSeconds(60), maxAttempts: 2);

        Assert.Equal(RefundStatus.Abandoned, refund.Status);
        Assert.Null(refund.NextAttemptAt);
        Assert.Equal(Now.AddMinutes(1), refund.CompletedAt);
        Assert.False(refund.IsOpen);
        Assert.Throws<DomainException>(() => refund.Complete(Now.AddMinutes(2)));
    }

    [Fact]
    public void An_unknown_refund_completes_or_fails_and_then_stays_closed()
    {
        var done = NewRefund();
        done.OutcomeUnknown(Now, "TIMEOUT", TimeSpan.FromSeconds(30), maxAttempts: 5);
        done.Complete(Now.AddMinutes(1));

        var refused = NewRefund();
        refused.Fail(Now.AddMinutes(1), "NOT_CANCELABLE_PAYMENT");

        Assert.Equal((RefundStatus.Done, (DateTimeOffset?)null, (DateTimeOffset?)Now.AddMinutes(1)), (done.Status, done.NextAttemptAt, done.CompletedAt));
        Assert.Equal((RefundStatus.Failed, "NOT_CANCELABLE_PAYMENT", (DateTimeOffset?)null), (refused.Status, refused.FailureCode, refused.NextAttemptAt));
        Assert.Throws<DomainException>(() => done.OutcomeUnknown(Now.AddMinutes(2), null, TimeSpan.FromSeconds(30), 5));
        Assert.Throws<DomainException>(() => refused.Complete(Now.AddMinutes(2)));
        Assert.Throws<DomainException>(() => done.Fail(Now.AddMinutes(2), "X"));
    }

    [Fact]
    public void The_query_predicates_say_what_the_refund_says_in_every_state()
    {
        var open = Refund.Open.Compile();
        var unsettled = Refund.Unsettled.Compile();
        var requested = NewRefund();
        var unknown = NewRefund();
        unknown.OutcomeUnknown(Now, "TIMEOUT", TimeSpan.FromSeconds(30), maxAttempts: 3);
        var abandoned = NewRefund();
        abandoned.OutcomeUnknown(Now, "TIMEOUT", TimeSpan.FromSeconds(30), maxAttempts: 1);
        var done = NewRefund();
        done.Complete(Now);
        var failed = NewRefund();
        failed.Fail(Now, "REJECT");

        Assert.Equal(RefundStatus.Abandoned, abandoned.Status);
        foreach (var (refund, isOpen, isUnsettled) in new[] { (requested, true, true), (unknown, true, true), (abandoned, false, true), (done, false, false), (failed, false, false) })
        {
            Assert.Equal(isOpen, refund.IsOpen);
            Assert.Equal(isOpen, open(refund));
            Assert.Equal(isUnsettled, unsettled(refund));
        }
    }
}
