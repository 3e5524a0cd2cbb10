using Hangfire;
using MediatR;
using Ticketing.Application.Transfers;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// <c>transfers.reconcile</c>: settles what transfers left open (<see cref="ReconcileTransfers"/>): recipients' payments
/// whose outcome is unknown, paybacks to resend under their first key, offers past their deadline. The backoff lives on
/// each transfer, so the job may run often without asking Toss more than it should.
/// </summary>
[AutomaticRetry(Attempts = 0)]
[KeepSucceededFor(Minutes = 60)]
public sealed class ReconcileTransfersJob(IMediator mediator, JobRunLog runs)
{
    [JobDisplayName(RecurringJobIds.ReconcileTransfers)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        runs.RunAsync(RecurringJobIds.ReconcileTransfers, ReconcileAsync, cancellationToken);

    private async Task<string> ReconcileAsync(CancellationToken cancellationToken)
    {
        var r = await mediator.Send(new ReconcileTransfers(), cancellationToken);
        return $"accepted {r.Accepted}, reopened {r.Reopened}, deferred {r.Deferred}, paid back {r.PaidBack}, expired {r.Expired}, skipped {r.Skipped}";
    }
}
