using Hangfire;
using MediatR;
using Ticketing.Application.Payments;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// <c>payments.reconcile</c>: settles payments whose outcome is unknown (<see cref="ReconcilePayments"/>). The backoff
/// per order lives on the order itself, so the job may run often without asking Toss more than it should.
/// </summary>
[AutomaticRetry(Attempts = 0)]
[KeepSucceededFor(Minutes = 60)]
public sealed class ReconcilePaymentsJob(IMediator mediator, JobRunLog runs)
{
    [JobDisplayName(RecurringJobIds.ReconcilePayments)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        runs.RunAsync(RecurringJobIds.ReconcilePayments, ReconcileAsync, cancellationToken);

    private async Task<string> ReconcileAsync(CancellationToken cancellationToken)
    {
        int paid = 0, released = 0, refunded = 0, deferred = 0, skipped = 0;
        ReconciliationReport report;
        do
        {
            report = await mediator.Send(new ReconcilePayments(), cancellationToken);
            (paid, released, refunded, deferred, skipped) = (paid + report.Paid, released + report.Released, refunded + report.Refunded, deferred + report.Deferred, skipped + report.Skipped);
        }
        while (report.Total >= ReconcilePayments.DefaultBatchSize && report.Skipped < report.Total && !cancellationToken.IsCancellationRequested);

        return $"paid {paid}, released {released}, refunded {refunded}, deferred {deferred}, skipped {skipped}";
    }
}
