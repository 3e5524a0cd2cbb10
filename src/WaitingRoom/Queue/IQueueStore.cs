using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>
/// The queue's state. Every operation first advances the room to <c>nowMs</c> (opening, serving counter)
/// atomically, so any number of callers on any number of instances see one consistent line.
/// Join, status and claim are O(1) in the queue length and asynchronous (the fan hot path never blocks a thread on
/// Redis); the admin operations are synchronous. Both adapters pass one contract test suite.
/// </summary>
internal interface IQueueStore
{
    /// <summary>The room's definition; adapters may cache it briefly (the pacing values are read atomically by each operation).</summary>
    ValueTask<RoomDefinition?> GetRoomAsync(string roomId);

    /// <summary>Uncached read for the admin API.</summary>
    RoomDefinition? GetRoom(string roomId);

    IReadOnlyList<RoomDefinition> ListRooms();

    /// <summary>Creates the room, or replaces its configuration keeping its line. Returns false when it existed.</summary>
    bool PutRoom(RoomDefinition room, long nowMs, ulong seed);

    /// <summary>Applies live changes after advancing the room with its old settings.</summary>
    RoomDefinition? UpdateRoom(string roomId, RoomUpdate update, long nowMs, ulong seed);

    bool DeleteRoom(string roomId);

    /// <summary>Gives the fan a place (or a pre-queue entry); a fan already in line keeps it.</summary>
    ValueTask<FanView> JoinAsync(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs);

    /// <summary>Reads the fan and records that the fan asked; a fan silent for too long loses the place here.</summary>
    ValueTask<FanView> StatusAsync(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs);

    /// <summary>Admits the fan at <paramref name="place"/> if the serving counter reached it and the active cap allows.</summary>
    ValueTask<ClaimResult> ClaimAsync(string roomId, string fanId, long place, long nowMs, ulong seed, long passExpiresAtMs, string jti);

    RoomStats? Stats(string roomId, long nowMs, ulong seed);

    // --- admission: the controller's inventory facts (issue 12) ---

    /// <summary>
    /// Advances the room to <paramref name="nowMs"/> under the facts it had, then stores the new ones (they pace every
    /// later advance while valid). Returns false when the room does not exist. Tells <see cref="SubscribeInventoryChanges"/>
    /// subscribers on every instance when the room's sold-out flag changed.
    /// </summary>
    bool SetInventory(string roomId, RoomInventory inventory, long nowMs, ulong seed);

    /// <summary>The facts last stored for the room (valid or not); null when none.</summary>
    RoomInventory? GetInventory(string roomId);

    /// <summary>Calls <paramref name="onChange"/> with the room id whenever a room's sold-out flag changes, on any instance.</summary>
    void SubscribeInventoryChanges(Action<string> onChange);

    // --- end admission ---

    /// <summary>
    /// Marks a solved proof-of-work challenge as used until it expires. False when it was used before (by any instance
    /// sharing the store), so each challenge buys one place.
    /// </summary>
    ValueTask<bool> UseChallengeAsync(string roomId, string challengeId, long expiresAtMs, long nowMs);
}

/// <summary>The store did not answer within the connection's timeout; answered like an outage (503 with Retry-After).</summary>
internal sealed class QueueStoreTimeoutException(string message) : TimeoutException(message);
