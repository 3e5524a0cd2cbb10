namespace Ticketing.WaitingRoom.Queue;

/// <summary>
/// What join, status and each server-sent event answer. Built by hand in <see cref="QueueService"/> and written by
/// the source-generated JSON context, never mapped through Mapster: the WaitingRoom answers the whole crowd's polls
/// (tens of thousands a second), its values come from a Redis script's reply rather than an entity, and a mapping
/// context per call costs about 4 µs and 2 KB (measured on the hold's order, docs/BENCHMARKS.md) where this record
/// costs one allocation.
/// </summary>
/// <param name="State"><c>waiting</c>, <c>admitted</c>, <c>expired</c>, <c>closed</c> or <c>soldOut</c> (nothing left and no
/// hold can come back; the fan keeps the place and is told again if seats return).</param>
/// <param name="Place">1-based place in line; null in a pre-queue (drawn at opening).</param>
/// <param name="Ahead">Fans ahead; never goes up.</param>
/// <param name="PollAfterMs">When to ask again (jittered); null once the state is final.</param>
/// <param name="Ticket">The queue ticket (join only; also set as a cookie).</param>
internal sealed record FanStatusDto(
    string Room,
    string State,
    bool PreQueue,
    long? Place,
    long? Ahead,
    long? EstimatedWaitSeconds,
    int? PollAfterMs,
    DateTimeOffset? OpensAt,
    string? Pass,
    DateTimeOffset? PassExpiresAt,
    string? RedirectUrl,
    string? Ticket);
