using System.Collections.Concurrent;
using Ticketing.WaitingRoom.Queue;

namespace Ticketing.WaitingRoom.Admission;

/// <summary>
/// Wakes this instance's event streams of a room when its sold-out flag changes on any instance (the queue store
/// tells every instance: Redis pub/sub, or directly in process), so a stream waiting out a long poll interval sends
/// the new state at once instead of at its next poll.
/// </summary>
internal sealed class InventorySignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    public InventorySignals(IQueueStore store) => store.SubscribeInventoryChanges(Notify);

    /// <summary>A task that completes at the room's next change (shared by every stream of the room on this instance).</summary>
    public Task NextChange(string roomId) =>
        _waiting.GetOrAdd(roomId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(string roomId)
    {
        if (_waiting.TryRemove(roomId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
