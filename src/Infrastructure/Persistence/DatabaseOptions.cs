using System.ComponentModel.DataAnnotations;

namespace Ticketing.Infrastructure.Persistence;

/// <summary><c>Database</c> section: which engine, and whether to seed demo data on an empty database.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (the embedded default) or <c>SqlServer</c>.</summary>
    [Required]
    [RegularExpression("^(Sqlite|SqlServer)$", ErrorMessage = "Database:Provider must be Sqlite or SqlServer.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Seeds the demo event and accounts when the database has no events.</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>SQLite only: <c>FULL</c> syncs every commit to disk; <c>NORMAL</c> (default, with WAL) syncs at checkpoints.</summary>
    [RegularExpression("^(FULL|NORMAL|EXTRA)$", ErrorMessage = "Database:SqliteSynchronous must be FULL, NORMAL or EXTRA.")]
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>Applies migrations at start-up.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
