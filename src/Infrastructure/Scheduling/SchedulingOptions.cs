using System.ComponentModel.DataAnnotations;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary><c>Jobs</c> section: Hangfire, the recurring jobs and what the clean-ups keep.</summary>
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

    /// <summary>When the refund retries run (the backoff per refund lives on the refund).</summary>
    [Required, RegularExpression(CronPattern)]
    public string RefundRetryCron { get; set; } = "*/10 * * * * *";

    /// <summary>When the clean-ups run: hourly by default.</summary>
    [Required, RegularExpression(CronPattern)]
    public string CleanupCron { get; set; } = "7 * * * *";

    /// <summary>How long an <c>Idempotency-Key</c> is remembered.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after its pass expired a pass binding is deleted (more than the verifier's clock skew).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan PassBindingGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after a performance started its seat locks (sold markers) are forgotten.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan SoldKeysAfterStart { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How far back the sold-keys clean-up looks: a host down for less than this still catches up.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SoldKeysLookback { get; set; } = TimeSpan.FromDays(7);
}

public enum JobStorageKind
{
    InMemory = 0,
    SqlServer = 1,
}
