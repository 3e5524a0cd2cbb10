using System.Collections.Concurrent;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.IntegrationTests.Support;

/// <summary>An <see cref="ISeatChangeFeed"/> that keeps what was published, for asserting on it.</summary>
public sealed class RecordingSeatChangeFeed : ISeatChangeFeed
{
    public ConcurrentQueue<(long PerformanceId, SeatChange Change)> Published { get; } = new();

    public void Publish(long performanceId, IReadOnlyList<SeatChange> changes)
    {
        foreach (var change in changes)
        {
            Published.Enqueue((performanceId, change));
        }
    }

    public ValueTask<long> GetVersionAsync(long performanceId, CancellationToken cancellationToken) => ValueTask.FromResult(0L);
}
