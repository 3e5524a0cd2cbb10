using Hangfire;
using MediatR;
using Ticketing.Application.Orders;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// <c>orders.expire</c>, every second: expires the pending orders past their deadline (<see cref="ExpireDueOrders"/>).
/// One recurring sweep, not a job per hold: the database is the truth, so a restarted host's first run expires every
/// hold that fell due while it was down. No automatic retry: the next second's run is the retry. It never calls the
/// payment provider: orders with a payment attempt go to <c>payments.reconcile</c>.
/// </summary>
[AutomaticRetry(Attempts = 0)]
[KeepSucceededFor(Minutes = 10)]
public sealed class ExpireOrdersJob(IMediator mediator, JobRunLog runs, JobMetrics metrics)
{
    [JobDisplayName(RecurringJobIds.ExpireOrders)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        runs.RunAsync(RecurringJobIds.ExpireOrders, ExpireAsync, cancellationToken);

    private async Task<string> ExpireAsync(CancellationToken cancellationToken)
    {
        int expired = 0, skipped = 0, handed = 0;
        ExpiryReport? first = null;
        ExpiryReport report;
        do
        {
            report = await mediator.Send(new ExpireDueOrders(), cancellationToken);
            expired += report.Expired;
            skipped += report.Skipped;
            handed += report.HandedToReconciliation;
            first ??= report;
        }
        while (report.Total >= ExpireDueOrders.DefaultBatchSize && !cancellationToken.IsCancellationRequested);

        // The first batch holds the oldest due deadline (due orders are taken oldest first).
        if (first?.Lateness is { } lateness)
        {
            metrics.RecordLateness(RecurringJobIds.ExpireOrders, lateness);
        }

        return new ExpiryReport(expired, skipped, HandedToReconciliation: handed).ToString();
    }
}
