using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.WaitingRoom.Errors;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.ProofOfWork;

/// <summary>A challenge as <c>GET /api/rooms/{roomId}/challenge</c> answers it.</summary>
internal sealed record ChallengeResponse(string Challenge, int Difficulty, DateTimeOffset ExpiresAt);

/// <summary>
/// Proof of work on join: hands out a room's challenges and checks the <c>X-Proof-Of-Work: {challenge}:{nonce}</c>
/// answer. A solved challenge counts once: the queue store remembers it until it expires (shared by every instance).
/// </summary>
internal sealed class ProofOfWorkGate(ChallengeCodec codec, IQueueStore store, TimeProvider time)
{
    public const string Header = "X-Proof-Of-Work";

    /// <summary>How long a challenge may take to solve and send; a slow phone needs several times the median.</summary>
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(5);

    public ChallengeResponse Issue(RoomDefinition room)
    {
        var expiresAt = time.GetUtcNow() + ChallengeLifetime;
        var challenge = codec.Issue(room.Id, room.PowDifficulty, expiresAt.ToUnixTimeMilliseconds());
        return new ChallengeResponse(challenge, room.PowDifficulty, DateTimeOffset.FromUnixTimeMilliseconds(expiresAt.ToUnixTimeMilliseconds()));
    }

    /// <summary>The check for a join that would make a new place; an unknown room is left to the join to answer.</summary>
    public async ValueTask<ProblemHttpResult?> CheckNewPlaceAsync(HttpContext http, string roomId)
    {
        var room = await store.GetRoomAsync(roomId);
        return room is null ? null : await CheckJoinAsync(http, room);
    }

    /// <summary>Null when the join may go on: the room asks no work, or the header holds a fresh, solved, unused challenge of this room.</summary>
    public async ValueTask<ProblemHttpResult?> CheckJoinAsync(HttpContext http, RoomDefinition room)
    {
        if (room.PowDifficulty <= 0)
        {
            return null;
        }

        var header = http.Request.Headers[Header];
        var value = header.Count > 0 ? header[0] : null;
        if (string.IsNullOrEmpty(value))
        {
            return Required(room.Id);
        }

        var split = value.LastIndexOf(':');
        if (split <= 0 || value.Length - split - 1 is 0 or > Hashcash.MaxNonceLength || !codec.TryRead(value[..split], out var challenge))
        {
            return Invalid(room.Id, "The challenge is malformed or was not issued by this waiting room.");
        }

        if (challenge.Scope != room.Id)
        {
            return Invalid(room.Id, "The challenge belongs to another room.");
        }

        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (challenge.ExpiresAtMs <= nowMs)
        {
            return Invalid(room.Id, "The challenge expired before it was sent.");
        }

        if (challenge.Difficulty < room.PowDifficulty)
        {
            return Invalid(room.Id, $"The room now asks for {room.PowDifficulty} zero bits; this challenge asked for {challenge.Difficulty}.");
        }

        if (!Hashcash.IsSolved(value[..split], value[(split + 1)..], challenge.Difficulty))
        {
            return Invalid(room.Id, "The nonce does not solve the challenge.");
        }

        if (!await store.UseChallengeAsync(room.Id, challenge.Id, challenge.ExpiresAtMs, nowMs))
        {
            return Invalid(room.Id, "The challenge was already used; each place in line needs a challenge of its own.");
        }

        return null;
    }

    private static ProblemHttpResult Required(string roomId) => Problems.Create(
        StatusCodes.Status403Forbidden,
        "pow.required",
        "Proof of work required.",
        $"This room asks every new place in line to solve a challenge: GET /api/rooms/{roomId}/challenge, then send {Header}: {{challenge}}:{{nonce}}.");

    private static ProblemHttpResult Invalid(string roomId, string why) => Problems.Create(
        StatusCodes.Status403Forbidden,
        "pow.invalid",
        "The proof of work is not valid.",
        $"{why} Get a new one from GET /api/rooms/{roomId}/challenge.");
}
