using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Persistence;

internal sealed class UniqueViolationDetector : IUniqueViolationDetector
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqlServerUniqueIndex = 2601;
    private const int SqlServerUniqueConstraint = 2627;

    public bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException e => e.SqliteExtendedErrorCode == SqliteConstraintUnique
            || (e.SqliteErrorCode == SqliteConstraint && e.Message.Contains("UNIQUE", StringComparison.Ordinal)),
        SqlException e => e.Number is SqlServerUniqueIndex or SqlServerUniqueConstraint,
        _ => false,
    };
}
