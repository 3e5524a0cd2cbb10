namespace Ticketing.Application.Abstractions;

/// <summary>The stored bindings of waiting-room passes to the first account that used each.</summary>
public interface IAccessPassBindings
{
    /// <summary>Deletes up to <paramref name="batchSize"/> bindings of passes that expired before <paramref name="expiredBefore"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset expiredBefore, int batchSize, CancellationToken cancellationToken);
}
