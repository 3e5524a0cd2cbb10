using Hangfire;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Payments;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// <c>payments.reconcile</c>: settles payments whose outcome is unknown (<see cref="ReconcilePayments"/>), including the
/// orders the expiry hands over at their deadline. Each due order is settled in a scope and request of its own,
/// <see cref="SchedulingOptions.ReconcileConcurrency"/> at once, so one slow provider answer (up to the client's whole
/// retry budget) holds up one worker, not the other orders. The backoff per order lives on the order itself, so the
/// job may run often without asking Toss more than it should.
/// </summary>
[AutomaticRetry(Attempts = 0)]
[KeepSucceededFor(Minutes = 60)]
public sealed class ReconcilePaymentsJob(IAppDbContext db, IServiceScopeFactory scopes, TimeProvider clock, IOptions<SchedulingOptions> options, JobRunLog runs)
{
    [JobDisplayName(RecurringJobIds.ReconcilePayments)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        runs.RunAsync(RecurringJobIds.ReconcilePayments, ReconcileAsync, cancellationToken);

    /// <summary>One pass over the orders due now (at most one batch); returns the summary the dashboard shows.</summary>
    public async Task<ReconciliationReport> ReconcileDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Orders.AsNoTracking()
            .Where(o => o.PaymentCheckAt != null && o.PaymentCheckAt <= now)
            .OrderBy(o => o.PaymentCheckAt)
            .Select(o => o.Id)
            .Take(ReconcilePayments.DefaultBatchSize)
            .ToListAsync(cancellationToken);
        int paid = 0, released = 0, refunded = 0, deferred = 0, skipped = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.ReconcileConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(due, parallel, async (id, token) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ReconcilePayments(1, [id]), token);
            Interlocked.Add(ref paid, report.Paid);
            Interlocked.Add(ref released, report.Released);
            Interlocked.Add(ref refunded, report.Refunded);
            Interlocked.Add(ref deferred, report.Deferred);
            Interlocked.Add(ref skipped, report.Skipped + (report.Total == 0 ? 1 : 0));
        });

        return new ReconciliationReport(paid, released, refunded, deferred, skipped);
    }

    private async Task<string> ReconcileAsync(CancellationToken cancellationToken)
    {
        int paid = 0, released = 0, refunded = 0, deferred = 0, skipped = 0;
        ReconciliationReport report;
        do
        {
            report = await ReconcileDueAsync(cancellationToken);
            (paid, released, refunded, deferred, skipped) = (paid + report.Paid, released + report.Released, refunded + report.Refunded, deferred + report.Deferred, skipped + report.Skipped);
        }
        while (report.Total >= ReconcilePayments.DefaultBatchSize && report.Skipped < report.Total && !cancellationToken.IsCancellationRequested);

        return $"paid {paid}, released {released}, refunded {refunded}, deferred {deferred}, skipped {skipped}";
    }
}
