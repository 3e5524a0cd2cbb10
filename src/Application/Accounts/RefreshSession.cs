using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;

namespace Ticketing.Application.Accounts;

/// <summary>
/// Exchanges a refresh token (once) for the next of its family. A token presented a second time means that two
/// parties hold it, and we cannot tell the fan from the thief: the whole family is revoked, and so is every token
/// of the account (its security stamp changes), and the answer is 401.
/// </summary>
public sealed record RefreshSession(Guid UserId, Guid RefreshTokenId, Guid SecurityStamp) : IRequest<Result<SessionDto>>;

public sealed partial class RefreshSessionHandler(IAppDbContext db, IMapper mapper, TimeProvider clock, ILogger<RefreshSessionHandler> logger)
    : IRequestHandler<RefreshSession, Result<SessionDto>>
{
    public static readonly Error Invalid = Error.Unauthorized("account.invalid_refresh_token", "The refresh token is invalid or expired. Log in again.");

    public static readonly Error Reused = Error.Unauthorized(
        "account.refresh_token_reused",
        "This refresh token was already used, so it may have been copied: every session of the account has ended. Log in again.");

    public async Task<Result<SessionDto>> Handle(RefreshSession request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = await db.RefreshTokens.SingleOrDefaultAsync(t => t.Id == request.RefreshTokenId && t.UserId == request.UserId, cancellationToken);
        var user = await db.Users.FindAsync([request.UserId], cancellationToken);
        if (token is null || user is null)
        {
            return Invalid;
        }

        if (token.UsedAt is not null)
        {
            return await RevokeFamilyAsync(token.FamilyId, request.UserId, now);
        }

        if (!token.IsUsable(now) || user.SecurityStamp != request.SecurityStamp)
        {
            return Invalid;
        }

        var next = token.Rotate(now, StartSessionHandler.RefreshTokenLifetime);
        db.RefreshTokens.Add(next);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request exchanged the same token at the same moment: a reuse too.
            db.ChangeTracker.Clear();
            return await RevokeFamilyAsync(token.FamilyId, request.UserId, now);
        }

        return new SessionDto(mapper.Map<AccountDto>(user), user.SecurityStamp, next.Id);
    }

    private async Task<Error> RevokeFamilyAsync(Guid familyId, Guid userId, DateTimeOffset now)
    {
        var family = await db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null).ToListAsync(CancellationToken.None);
        family.ForEach(t => t.Revoke(now));
        var user = await db.Users.SingleAsync(u => u.Id == userId, CancellationToken.None);
        user.RevokeTokens();
        await db.SaveChangesAsync(CancellationToken.None);
        LogReused(logger, userId, familyId);
        return Reused;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Account {UserId}: refresh token of family {FamilyId} used twice; the family and every token of the account are revoked")]
    private static partial void LogReused(ILogger logger, Guid userId, Guid familyId);
}
