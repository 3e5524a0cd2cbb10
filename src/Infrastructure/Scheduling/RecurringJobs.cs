using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>The stable ids of the recurring jobs: the dashboard's names, the admin API's <c>{group}.{name}</c>.</summary>
public static class RecurringJobIds
{
    public const string ExpireOrders = "orders.expire";
    public const string ReconcilePayments = "payments.reconcile";
    public const string RetryRefunds = "refunds.retry";
    public const string PurgeIdempotencyRecords = "cleanup.idempotency-records";
    public const string PurgePassBindings = "cleanup.pass-bindings";
    public const string PurgeSoldKeys = "cleanup.sold-keys";

    // Transfer (issue 13.4)
    public const string ReconcileTransfers = "transfers.reconcile";
}

/// <summary>One recurring job: its id, what it does, when, and how to add it to Hangfire.</summary>
public sealed record RecurringJobDeclaration(string Id, string Description, string Cron, Action<IRecurringJobManager, string, string, RecurringJobOptions> AddOrUpdate);

/// <summary>Every recurring job of the booking API, declared in this one place.</summary>
public static class RecurringJobs
{
    public static IReadOnlyList<RecurringJobDeclaration> Declare(SchedulingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            new(RecurringJobIds.ExpireOrders, "Expires unpaid holds past their deadline and frees their seats", options.ExpiryCron,
                (jobs, id, cron, o) => jobs.AddOrUpdate<ExpireOrdersJob>(id, j => j.RunAsync(CancellationToken.None), cron, o)),
            new(RecurringJobIds.ReconcilePayments, "Settles payments whose outcome is unknown, with backoff per order", options.ReconcileCron,
                (jobs, id, cron, o) => jobs.AddOrUpdate<ReconcilePaymentsJob>(id, j => j.RunAsync(CancellationToken.None), cron, o)),
            new(RecurringJobIds.RetryRefunds, "Resends refunds whose outcome is unknown, under their first key, with backoff per refund", options.RefundRetryCron,
                (jobs, id, cron, o) => jobs.AddOrUpdate<RetryPendingRefundsJob>(id, j => j.RunAsync(CancellationToken.None), cron, o)),
            new(RecurringJobIds.PurgeIdempotencyRecords, "Deletes Idempotency-Key records older than the retention", options.CleanupCron,
                (jobs, id, cron, o) => jobs.AddOrUpdate<PurgeIdempotencyRecordsJob>(id, j => j.RunAsync(CancellationToken.None), cron, o)),
            new(RecurringJobIds.PurgePassBindings, "Deletes the bindings of waiting-room passes that have expired", options.CleanupCron,
                (jobs, id, cron, o) => jobs.AddOrUpdate<PurgePassBindingsJob>(id, j => j.RunAsync(CancellationToken.None), cron, o)),
            new(RecurringJobIds.PurgeSoldKeys, "Forgets the seat locks (sold markers) of performances that are over", options.CleanupCron,
                (jobs, id, cron, o) => jobs.AddOrUpdate<PurgeSoldSeatLocksJob>(id, j => j.RunAsync(CancellationToken.None), cron, o)),

            // Transfer (issue 13.4)
            new(RecurringJobIds.ReconcileTransfers, "Settles transfers: unknown payments and paybacks (with backoff), lapsed offers", options.TransferReconcileCron,
                (jobs, id, cron, o) => jobs.AddOrUpdate<ReconcileTransfersJob>(id, j => j.RunAsync(CancellationToken.None), cron, o)),
        ];
    }
}

/// <summary>
/// At start (after the database is migrated): adds or updates every declared recurring job, removes the ones no
/// longer declared, and fires the expiry once at once, so holds that fell due while no host ran are expired now.
/// </summary>
internal sealed class RecurringJobsRegistration(IRecurringJobManager manager, JobStorage storage, IOptions<SchedulingOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var declared = RecurringJobs.Declare(options.Value);
        var jobOptions = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        foreach (var job in declared)
        {
            job.AddOrUpdate(manager, job.Id, job.Cron, jobOptions);
        }

        using (var connection = storage.GetConnection())
        {
            foreach (var stale in connection.GetRecurringJobs().Select(j => j.Id).Except(declared.Select(j => j.Id), StringComparer.Ordinal))
            {
                manager.RemoveIfExists(stale);
            }
        }

        manager.Trigger(RecurringJobIds.ExpireOrders);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
