using System.Text;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// The tables of Quartz.NET 4.7's ADO job store, described once and rendered per SQL dialect, so that the
/// persistent scheduler lives in our own database and arrives through our own migrations.
/// </summary>
internal static class QuartzSchema
{
    public const string TablePrefix = "QRTZ_";

    private static readonly string[] TriggerKey = ["SCHED_NAME", "TRIGGER_NAME", "TRIGGER_GROUP"];

    private static readonly Table[] Tables =
    [
        new("JOB_DETAILS",
            [Str("SCHED_NAME", 120), Str("JOB_NAME", 150), Str("JOB_GROUP", 150), Str("DESCRIPTION", 250, true), Str("JOB_CLASS_NAME", 250),
             Col("IS_DURABLE", Kind.Bit), Col("IS_NONCONCURRENT", Kind.Bit), Col("IS_UPDATE_DATA", Kind.Bit), Col("REQUESTS_RECOVERY", Kind.Bit),
             Col("JOB_DATA", Kind.Blob, true)],
            ["SCHED_NAME", "JOB_NAME", "JOB_GROUP"]),
        new("TRIGGERS",
            [Str("SCHED_NAME", 120), Str("TRIGGER_NAME", 150), Str("TRIGGER_GROUP", 150), Str("JOB_NAME", 150), Str("JOB_GROUP", 150),
             Str("DESCRIPTION", 250, true), Col("NEXT_FIRE_TIME", Kind.BigInt, true), Col("PREV_FIRE_TIME", Kind.BigInt, true), Col("PRIORITY", Kind.Int, true),
             Str("TRIGGER_STATE", 16), Str("TRIGGER_TYPE", 8), Col("START_TIME", Kind.BigInt), Col("END_TIME", Kind.BigInt, true),
             Str("CALENDAR_NAME", 200, true), Col("MISFIRE_INSTR", Kind.Int, true), Col("MISFIRE_ORIG_FIRE_TIME", Kind.BigInt, true),
             Str("EXECUTION_GROUP", 200, true), Str("PREFERRED_NODE", 200, true), Col("PREFERRED_NODE_AUTO", Kind.Bit, false, "0"),
             Col("JOB_DATA", Kind.Blob, true)],
            TriggerKey,
            new ForeignKey(["SCHED_NAME", "JOB_NAME", "JOB_GROUP"], "JOB_DETAILS", Cascade: false)),
        new("SIMPLE_TRIGGERS",
            [Str("SCHED_NAME", 120), Str("TRIGGER_NAME", 150), Str("TRIGGER_GROUP", 150),
             Col("REPEAT_COUNT", Kind.BigInt), Col("REPEAT_INTERVAL", Kind.BigInt), Col("TIMES_TRIGGERED", Kind.BigInt)],
            TriggerKey,
            new ForeignKey(TriggerKey, "TRIGGERS", Cascade: true)),
        new("SIMPROP_TRIGGERS",
            [Str("SCHED_NAME", 120), Str("TRIGGER_NAME", 150), Str("TRIGGER_GROUP", 150),
             Str("STR_PROP_1", 512, true), Str("STR_PROP_2", 512, true), Str("STR_PROP_3", 512, true),
             Col("INT_PROP_1", Kind.Int, true), Col("INT_PROP_2", Kind.Int, true), Col("LONG_PROP_1", Kind.BigInt, true), Col("LONG_PROP_2", Kind.BigInt, true),
             Col("DEC_PROP_1", Kind.Decimal, true), Col("DEC_PROP_2", Kind.Decimal, true), Col("BOOL_PROP_1", Kind.Bit, true), Col("BOOL_PROP_2", Kind.Bit, true),
             Str("TIME_ZONE_ID", 80, true)],
            TriggerKey,
            new ForeignKey(TriggerKey, "TRIGGERS", Cascade: true)),
        new("CRON_TRIGGERS",
            [Str("SCHED_NAME", 120), Str("TRIGGER_NAME", 150), Str("TRIGGER_GROUP", 150), Str("CRON_EXPRESSION", 250), Str("TIME_ZONE_ID", 80, true)],
            TriggerKey,
            new ForeignKey(TriggerKey, "TRIGGERS", Cascade: true)),
        new("BLOB_TRIGGERS",
            [Str("SCHED_NAME", 120), Str("TRIGGER_NAME", 150), Str("TRIGGER_GROUP", 150), Col("BLOB_DATA", Kind.Blob, true)],
            TriggerKey,
            new ForeignKey(TriggerKey, "TRIGGERS", Cascade: true)),
        new("CALENDARS",
            [Str("SCHED_NAME", 120), Str("CALENDAR_NAME", 200), Col("CALENDAR", Kind.Blob)],
            ["SCHED_NAME", "CALENDAR_NAME"]),
        new("PAUSED_TRIGGER_GRPS",
            [Str("SCHED_NAME", 120), Str("TRIGGER_GROUP", 150)],
            ["SCHED_NAME", "TRIGGER_GROUP"]),
        new("FIRED_TRIGGERS",
            [Str("SCHED_NAME", 120), Str("ENTRY_ID", 140), Str("TRIGGER_NAME", 150), Str("TRIGGER_GROUP", 150), Str("INSTANCE_NAME", 200),
             Col("FIRED_TIME", Kind.BigInt), Col("SCHED_TIME", Kind.BigInt), Col("PRIORITY", Kind.Int), Str("STATE", 16),
             Str("JOB_NAME", 150, true), Str("JOB_GROUP", 150, true), Col("IS_NONCONCURRENT", Kind.Bit, true), Col("REQUESTS_RECOVERY", Kind.Bit, true),
             Str("EXECUTION_GROUP", 200, true)],
            ["SCHED_NAME", "ENTRY_ID"]),
        new("SCHEDULER_STATE",
            [Str("SCHED_NAME", 120), Str("INSTANCE_NAME", 200), Col("LAST_CHECKIN_TIME", Kind.BigInt), Col("CHECKIN_INTERVAL", Kind.BigInt)],
            ["SCHED_NAME", "INSTANCE_NAME"]),
        new("LOCKS",
            [Str("SCHED_NAME", 120), Str("LOCK_NAME", 40)],
            ["SCHED_NAME", "LOCK_NAME"]),
    ];

    private static readonly (string Table, string Name, string[] Columns)[] Indexes =
    [
        ("TRIGGERS", "IDX_QRTZ_T_NEXT_FIRE_TIME", ["SCHED_NAME", "NEXT_FIRE_TIME"]),
        ("TRIGGERS", "IDX_QRTZ_T_NFT_ST", ["SCHED_NAME", "TRIGGER_STATE", "NEXT_FIRE_TIME"]),
        ("TRIGGERS", "IDX_QRTZ_T_G_J", ["SCHED_NAME", "JOB_GROUP", "JOB_NAME"]),
        ("FIRED_TRIGGERS", "IDX_QRTZ_FT_INST_JOB_REQ_RCVRY", ["SCHED_NAME", "INSTANCE_NAME", "REQUESTS_RECOVERY"]),
    ];

    public enum Dialect
    {
        Sqlite,
        SqlServer,
    }

    private enum Kind
    {
        String,
        BigInt,
        Int,
        Bit,
        Blob,
        Decimal,
    }

    public static string CreateScript(Dialect dialect)
    {
        var sql = new StringBuilder();
        foreach (var table in Tables)
        {
            sql.Append("CREATE TABLE ").Append(Name(dialect, TablePrefix + table.Name)).AppendLine(" (");
            foreach (var column in table.Columns)
            {
                sql.Append("    ").Append(Name(dialect, column.Name)).Append(' ').Append(TypeOf(dialect, column))
                    .Append(column.Nullable ? " NULL" : " NOT NULL");
                if (column.Default is not null)
                {
                    sql.Append(" DEFAULT ").Append(column.Default);
                }

                sql.AppendLine(",");
            }

            sql.Append("    CONSTRAINT ").Append(Name(dialect, "PK_" + TablePrefix + table.Name)).Append(" PRIMARY KEY (").Append(Names(dialect, table.Key)).Append(')');
            if (table.References is { } fk)
            {
                sql.AppendLine(",")
                    .Append("    CONSTRAINT ").Append(Name(dialect, $"FK_{TablePrefix}{table.Name}_{fk.Table}")).Append(" FOREIGN KEY (").Append(Names(dialect, fk.Columns))
                    .Append(") REFERENCES ").Append(Name(dialect, TablePrefix + fk.Table)).Append(" (").Append(Names(dialect, fk.Columns)).Append(')');
                if (fk.Cascade)
                {
                    sql.Append(" ON DELETE CASCADE");
                }
            }

            sql.AppendLine().AppendLine(");");
        }

        foreach (var (table, name, columns) in Indexes)
        {
            sql.Append("CREATE INDEX ").Append(Name(dialect, name)).Append(" ON ").Append(Name(dialect, TablePrefix + table))
                .Append(" (").Append(Names(dialect, columns)).AppendLine(");");
        }

        return sql.ToString();
    }

    public static string DropScript(Dialect dialect)
    {
        var sql = new StringBuilder();
        foreach (var table in Tables.Reverse())
        {
            sql.Append("DROP TABLE ").Append(Name(dialect, TablePrefix + table.Name)).AppendLine(";");
        }

        return sql.ToString();
    }

    private static string TypeOf(Dialect dialect, Column column) => (dialect, column.Kind) switch
    {
        (Dialect.Sqlite, Kind.String) => $"NVARCHAR({column.Length})",
        (Dialect.Sqlite, Kind.BigInt) => "BIGINT",
        (Dialect.Sqlite, Kind.Int) => "INTEGER",
        (Dialect.Sqlite, Kind.Bit) => "BIT",
        (Dialect.Sqlite, Kind.Blob) => "BLOB",
        (Dialect.Sqlite, Kind.Decimal) => "NUMERIC",
        (Dialect.SqlServer, Kind.String) => $"nvarchar({column.Length})",
        (Dialect.SqlServer, Kind.BigInt) => "bigint",
        (Dialect.SqlServer, Kind.Int) => "int",
        (Dialect.SqlServer, Kind.Bit) => "bit",
        (Dialect.SqlServer, Kind.Blob) => "varbinary(max)",
        (Dialect.SqlServer, Kind.Decimal) => "numeric(13,4)",
        _ => throw new ArgumentOutOfRangeException(nameof(dialect)),
    };

    private static string Name(Dialect dialect, string name) => dialect == Dialect.SqlServer ? $"[{name}]" : name;

    private static string Names(Dialect dialect, IEnumerable<string> names) => string.Join(", ", names.Select(n => Name(dialect, n)));

    private static Column Str(string name, int length, bool nullable = false) => new(name, Kind.String, length, nullable, null);

    private static Column Col(string name, Kind kind, bool nullable = false, string? defaultValue = null) => new(name, kind, 0, nullable, defaultValue);

    private sealed record Column(string Name, Kind Kind, int Length, bool Nullable, string? Default);

    private sealed record ForeignKey(string[] Columns, string Table, bool Cascade);

    private sealed record Table(string Name, Column[] Columns, string[] Key, ForeignKey? References = null);
}
