namespace Ticketing.Application.Common;

/// <summary>
/// A client's <c>Idempotency-Key</c>, unique per (user, scope, key), with the response of the first request that
/// used it. It is inserted before the work starts, so a concurrent duplicate hits the unique index, and it is
/// completed in the same transaction as the work's outcome.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 255;

    private IdempotencyRecord()
    {
        Scope = string.Empty;
        Key = string.Empty;
        RequestFingerprint = string.Empty;
    }

    public long Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Scope { get; private set; }

    public string Key { get; private set; }

    /// <summary>What the first request asked for; the same key with another request is refused.</summary>
    public string RequestFingerprint { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>The stored response (JSON), present once completed.</summary>
    public string? Response { get; private set; }

    public static IdempotencyRecord Start(Guid userId, string scope, string key, string fingerprint, DateTimeOffset now) =>
        new() { UserId = userId, Scope = scope, Key = key, RequestFingerprint = fingerprint, CreatedAt = now };

    public void Complete(string response, DateTimeOffset now)
    {
        Response = response;
        CompletedAt = now;
    }
}
