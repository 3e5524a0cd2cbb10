using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.WaitingRoom.Errors;
using Ticketing.WaitingRoom.ProofOfWork;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Endpoints;

/// <summary>What the booking API asks before registration: how much work a new account costs while rooms take fans.</summary>
/// <param name="ActiveRooms">Rooms not closed (taking fans, or a pre-queue before opening).</param>
/// <param name="Difficulty">The highest <c>powDifficulty</c> among them; 0 when none asks for work.</param>
internal sealed record ProofOfWorkPolicy(int ActiveRooms, int Difficulty);

/// <summary>Proof-of-work challenges for joining a room, and the policy the booking API applies to registration.</summary>
internal static class ProofOfWorkEndpoints
{
    public static void MapProofOfWorkEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rooms/{roomId}/challenge", GetChallenge).WithTags("Queue")
            .WithSummary("A proof-of-work challenge for joining the room.")
            .WithDescription("Find a nonce so that SHA-256(challenge \":\" nonce) starts with `difficulty` zero bits, then join with header X-Proof-Of-Work: {challenge}:{nonce}. A challenge buys one place and expires at expiresAt.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/api/rooms/proof-of-work", GetPolicy).WithTags("Queue")
            .WithSummary("How many rooms take fans, and the most work any of them asks (the booking API's registration follows it).");
    }

    internal static async Task<Results<Ok<ChallengeResponse>, ProblemHttpResult>> GetChallenge(string roomId, HttpContext http, IQueueStore store, ProofOfWorkGate gate)
    {
        if (!RoomIds.IsValid(roomId))
        {
            return Problems.InvalidRoomId();
        }

        var room = await store.GetRoomAsync(roomId);
        if (room is null)
        {
            return Problems.RoomNotFound(roomId);
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(gate.Issue(room));
    }

    internal static Ok<ProofOfWorkPolicy> GetPolicy(IQueueStore store)
    {
        var active = 0;
        var difficulty = 0;
        foreach (var room in store.ListRooms())
        {
            if (room.Mode != RoomMode.Closed)
            {
                active++;
                difficulty = Math.Max(difficulty, room.PowDifficulty);
            }
        }

        return TypedResults.Ok(new ProofOfWorkPolicy(active, difficulty));
    }
}
