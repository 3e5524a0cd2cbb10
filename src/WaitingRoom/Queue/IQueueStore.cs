using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>
/// The queue's state. Every operation first advances the room to <c>nowMs</c> (opening, serving counter)
/// atomically, so any number of callers on any number of instances see one consistent line.
/// Join, status and claim are O(1) in the queue length. Both adapters pass one contract test suite.
/// </summary>
internal interface IQueueStore
{
    RoomDefinition? GetRoom(string roomId);

    IReadOnlyList<RoomDefinition> ListRooms();

    /// <summary>Creates the room, or replaces its configuration keeping its line. Returns false when it existed.</summary>
    bool PutRoom(RoomDefinition room, long nowMs, ulong seed);

    /// <summary>Applies live changes after advancing the room with its old settings.</summary>
    RoomDefinition? UpdateRoom(string roomId, RoomUpdate update, long nowMs, ulong seed);

    bool DeleteRoom(string roomId);

    /// <summary>Gives the fan a place (or a pre-queue entry); a fan already in line keeps it.</summary>
    FanView Join(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs);

    /// <summary>Reads the fan and records that the fan asked; a fan silent for too long loses the place here.</summary>
    FanView Status(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs);

    /// <summary>Admits the fan at <paramref name="place"/> if the serving counter reached it and the active cap allows.</summary>
    ClaimResult Claim(string roomId, string fanId, long place, long nowMs, ulong seed, long passExpiresAtMs, string jti);

    RoomStats? Stats(string roomId, long nowMs, ulong seed);
}
