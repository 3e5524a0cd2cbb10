using System.ComponentModel.DataAnnotations;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary><c>Jobs</c> section.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Runs the scheduler in this instance. Every instance may run it: the store is clustered.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the expiry job looks for orders past their deadline.</summary>
    [Range(200, 60_000)]
    public int ExpiryIntervalMilliseconds { get; set; } = 1000;

    /// <summary>How often the reconciliation job looks for payments whose outcome is due to be checked.</summary>
    [Range(1000, 600_000)]
    public int ReconcileIntervalMilliseconds { get; set; } = 10_000;

    /// <summary>The scheduler's name: the instances of one deployment share it (and, on SQL Server, its cluster).</summary>
    [Required]
    public string SchedulerName { get; set; } = "ticketing";

    /// <summary>
    /// On SQLite only: where the scheduler keeps its tables. By default a file beside the main database
    /// (<c>ticketing.jobs.db</c> next to <c>ticketing.db</c>), so its writes never queue behind holds or the reverse.
    /// </summary>
    public string? SqliteConnectionString { get; set; }

    /// <summary>The Quartz instance id; AUTO makes a unique one per process.</summary>
    [Required]
    public string InstanceId { get; set; } = "AUTO";
}
