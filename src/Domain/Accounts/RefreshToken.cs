namespace Ticketing.Domain.Accounts;

/// <summary>
/// One refresh token handed out. A login starts a family; each refresh uses its token once and hands out the next
/// of the same family. A token used a second time means that two parties hold it: the family is revoked.
/// </summary>
public sealed class RefreshToken
{
    private RefreshToken()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The login this token descends from.</summary>
    public Guid FamilyId { get; private set; }

    public Guid UserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When it was exchanged for the next token (a concurrency token: only one exchange wins).</summary>
    public DateTimeOffset? UsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public static RefreshToken StartFamily(Guid userId, DateTimeOffset now, TimeSpan lifetime) =>
        new() { Id = Guid.NewGuid(), FamilyId = Guid.NewGuid(), UserId = userId, CreatedAt = now, ExpiresAt = now + lifetime };

    public bool IsUsable(DateTimeOffset now) => UsedAt is null && RevokedAt is null && now < ExpiresAt;

    /// <summary>Uses this token and returns its successor in the same family.</summary>
    public RefreshToken Rotate(DateTimeOffset now, TimeSpan lifetime)
    {
        if (!IsUsable(now))
        {
            throw new InvalidOperationException("A used, revoked or expired refresh token cannot be rotated.");
        }

        UsedAt = now;
        return new RefreshToken { Id = Guid.NewGuid(), FamilyId = FamilyId, UserId = UserId, CreatedAt = now, ExpiresAt = now + lifetime };
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
