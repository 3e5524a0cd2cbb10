using MediatR;
using Quartz;
using Ticketing.Application.Payments;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// Settles payments whose outcome is unknown (<see cref="ReconcilePayments"/>). A recurring trigger in the same
/// persistent store as the expiry job: it resumes after a restart and runs on one instance at a time; the backoff
/// per order lives on the order itself, so the job may run often without asking Toss more than it should.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ReconcilePaymentsJob(IMediator mediator) : IJob
{
    public static readonly JobKey Key = new("reconcile-payments", "payments");
    public static readonly TriggerKey TriggerKey = new("reconcile-payments-recurring", "payments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ReconciliationReport report;
        do
        {
            report = await mediator.Send(new ReconcilePayments(), cancellationToken);
        }
        while (report.Total >= ReconcilePayments.DefaultBatchSize && report.Skipped < report.Total && !cancellationToken.IsCancellationRequested);

        context.Result = report;
    }
}
