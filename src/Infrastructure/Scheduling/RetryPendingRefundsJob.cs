using Hangfire;
using MediatR;
using Ticketing.Application.Payments;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// <c>refunds.retry</c>: resends the refunds whose outcome is unknown (<see cref="RetryPendingRefunds"/>) under their
/// first idempotency key, so the provider refunds each once. The backoff per refund lives on the refund, so the job may
/// run often without asking Toss more than it should.
/// </summary>
[AutomaticRetry(Attempts = 0)]
[KeepSucceededFor(Minutes = 60)]
public sealed class RetryPendingRefundsJob(IMediator mediator, JobRunLog runs)
{
    [JobDisplayName(RecurringJobIds.RetryRefunds)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        runs.RunAsync(RecurringJobIds.RetryRefunds, RetryAsync, cancellationToken);

    private async Task<string> RetryAsync(CancellationToken cancellationToken)
    {
        int refunded = 0, refused = 0, unknown = 0, abandoned = 0, skipped = 0;
        RefundRetryReport report;
        do
        {
            report = await mediator.Send(new RetryPendingRefunds(), cancellationToken);
            (refunded, refused, unknown, abandoned, skipped) =
                (refunded + report.Refunded, refused + report.Refused, unknown + report.StillUnknown, abandoned + report.Abandoned, skipped + report.Skipped);
        }
        while (report.Total >= RetryPendingRefunds.DefaultBatchSize && report.Skipped < report.Total && !cancellationToken.IsCancellationRequested);

        return $"refunded {refunded}, refused {refused}, still unknown {unknown}, abandoned {abandoned}, skipped {skipped}";
    }
}
