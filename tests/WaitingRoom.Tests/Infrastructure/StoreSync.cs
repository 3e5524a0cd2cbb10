using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>Blocking shorthands so the step-by-step contract tests read as a sequence (tests only).</summary>
internal static class StoreSync
{
    public static FanView Join(this IQueueStore store, string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs) =>
        store.JoinAsync(roomId, fanId, nowMs, seed, abandonAfterMs).AsTask().GetAwaiter().GetResult();

    public static FanView Status(this IQueueStore store, string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs) =>
        store.StatusAsync(roomId, fanId, nowMs, seed, abandonAfterMs).AsTask().GetAwaiter().GetResult();

    public static ClaimResult Claim(this IQueueStore store, string roomId, string fanId, long place, long nowMs, ulong seed, long passExpiresAtMs, string jti) =>
        store.ClaimAsync(roomId, fanId, place, nowMs, seed, passExpiresAtMs, jti).AsTask().GetAwaiter().GetResult();

    public static RoomDefinition? CachedRoom(this IQueueStore store, string roomId) =>
        store.GetRoomAsync(roomId).AsTask().GetAwaiter().GetResult();
}
