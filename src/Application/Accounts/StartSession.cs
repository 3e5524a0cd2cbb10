using MapsterMapper;
using MediatR;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;

namespace Ticketing.Application.Accounts;

/// <summary>After a login: a new refresh-token family for the account, and what its tokens must carry.</summary>
public sealed record StartSession(Guid UserId) : IRequest<Result<SessionDto>>;

/// <param name="SecurityStamp">The account's stamp: every token carries it, and a token under an old stamp is refused.</param>
/// <param name="RefreshTokenId">The refresh token this sign-in hands out (each is exchanged once).</param>
public sealed record SessionDto(AccountDto Account, Guid SecurityStamp, Guid RefreshTokenId);

public sealed class StartSessionHandler(IAppDbContext db, IMapper mapper, TimeProvider clock) : IRequestHandler<StartSession, Result<SessionDto>>
{
    /// <summary>How long a refresh token lasts (the bearer handler's refresh-token lifetime is set to the same).</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(14);

    public async Task<Result<SessionDto>> Handle(StartSession request, CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([request.UserId], cancellationToken);
        if (user is null)
        {
            return Error.NotFound("account.not_found", "The account no longer exists.");
        }

        var token = RefreshToken.StartFamily(user.Id, clock.GetUtcNow(), RefreshTokenLifetime);
        db.RefreshTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new SessionDto(mapper.Map<AccountDto>(user), user.SecurityStamp, token.Id);
    }
}
