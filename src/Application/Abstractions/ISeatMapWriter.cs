using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Abstractions;

/// <summary>
/// Writes the seats of a new performance in bulk, inside the caller's open transaction: a 100,000-seat map
/// is one statement prepared once (SQLite) or one bulk copy (SQL Server), not 100,000 tracked entities.
/// Seats get increasing ids in the order given.
/// </summary>
public interface ISeatMapWriter
{
    Task WriteAsync(long performanceId, IReadOnlyList<SeatDefinition> seats, CancellationToken cancellationToken);
}
