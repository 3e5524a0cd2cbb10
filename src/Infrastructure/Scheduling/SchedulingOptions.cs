using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// <c>Jobs</c> section: Hangfire, the recurring jobs and what the clean-ups keep. The durations are checked by
/// <see cref="SchedulingOptionsValidator"/>, not by <c>[Range(typeof(TimeSpan), ...)]</c>: that attribute converts its
/// bounds lazily without a lock, and one attribute instance serves every validation in the process.
/// </summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Hangfire cron expressions: five fields, or six with seconds first.</summary>
    internal const string CronPattern = @"^\s*\S+(\s+\S+){4,5}\s*$";

    /// <summary>
    /// Runs a Hangfire server (the recurring jobs) in this instance. With false, the instance serves the API and
    /// the dashboard only. Every instance may run one: each order's expiry is guarded by its version.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where Hangfire keeps its jobs. Default: <see cref="JobStorageKind.SqlServer"/> when the database is SQL Server
    /// (the instances share it), otherwise <see cref="JobStorageKind.InMemory"/>.
    /// </summary>
    public JobStorageKind? Storage { get; set; }

    /// <summary>
    /// How often the server looks for due recurring jobs (Hangfire's <c>SchedulePollingInterval</c>). Its default of
    /// 15 s would fire a per-second cron every 15 s; 250 ms fires it within a quarter second of each second.
    /// </summary>
    [Range(50, 60_000)]
    public int SchedulePollingMilliseconds { get; set; } = 250;

    /// <summary>Hangfire workers in this instance (the jobs are few and short).</summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>When the expiry sweep runs: every second by default (seconds first).</summary>
    [Required, RegularExpression(CronPattern)]
    public string ExpiryCron { get; set; } = "* * * * * *";

    /// <summary>When the payment reconciliation runs (the backoff per order lives on the order).</summary>
    [Required, RegularExpression(CronPattern)]
    public string ReconcileCron { get; set; } = "*/10 * * * * *";

    /// <summary>
    /// Orders <c>payments.reconcile</c> settles at once in this instance, each with its own provider look-up, so that
    /// one slow answer delays no other order.
    /// </summary>
    [Range(1, 64)]
    public int ReconcileConcurrency { get; set; } = 8;

    /// <summary>When the refund retries run (the backoff per refund lives on the refund).</summary>
    [Required, RegularExpression(CronPattern)]
    public string RefundRetryCron { get; set; } = "*/10 * * * * *";

    /// <summary>When the clean-ups run: hourly by default.</summary>
    [Required, RegularExpression(CronPattern)]
    public string CleanupCron { get; set; } = "7 * * * *";

    /// <summary>How long an <c>Idempotency-Key</c> is remembered.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after its pass expired a pass binding is deleted (more than the verifier's clock skew).</summary>
    public TimeSpan PassBindingGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after a performance started its seat locks (sold markers) are forgotten.</summary>
    public TimeSpan SoldKeysAfterStart { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How far back the sold-keys clean-up looks: a host down for less than this still catches up.</summary>
    public TimeSpan SoldKeysLookback { get; set; } = TimeSpan.FromDays(7);

    // Transfer (issue 13.4)

    /// <summary>When <c>transfers.reconcile</c> runs: unknown payments and paybacks of transfers, lapsed offers.</summary>
    [Required, RegularExpression(CronPattern)]
    public string TransferReconcileCron { get; set; } = "*/10 * * * * *";
}

public enum JobStorageKind
{
    InMemory = 0,
    SqlServer = 1,
}

/// <summary>The bounds of the <see cref="SchedulingOptions"/> durations, checked at start; reports every fault at once.</summary>
internal sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        Check(failures, nameof(SchedulingOptions.IdempotencyRetention), options.IdempotencyRetention, TimeSpan.FromHours(1), TimeSpan.FromDays(365));
        Check(failures, nameof(SchedulingOptions.PassBindingGrace), options.PassBindingGrace, TimeSpan.FromMinutes(5), TimeSpan.FromDays(30));
        Check(failures, nameof(SchedulingOptions.SoldKeysAfterStart), options.SoldKeysAfterStart, TimeSpan.Zero, TimeSpan.FromDays(365));
        Check(failures, nameof(SchedulingOptions.SoldKeysLookback), options.SoldKeysLookback, TimeSpan.FromHours(1), TimeSpan.FromDays(365));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string property, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add(FormattableString.Invariant($"{SchedulingOptions.SectionName}:{property} must be between {min:c} and {max:c}."));
        }
    }
}
