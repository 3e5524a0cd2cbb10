using System.Security.Claims;
using Ticketing.Application.Accounts;
using Ticketing.Application.Events;

namespace Ticketing.WebApi.Infrastructure;

internal static class UserClaims
{
    /// <summary>The claims of a session's tokens: the account, its security stamp and the refresh token handed out.</summary>
    public static ClaimsPrincipal ToPrincipal(SessionDto session) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, session.Account.Id.ToString()),
            new Claim(ClaimTypes.Email, session.Account.Email),
            new Claim(ClaimTypes.Name, session.Account.DisplayName),
            new Claim(ClaimTypes.Role, session.Account.Role),
            new Claim(SecurityStamps.StampClaim, session.SecurityStamp.ToString()),
            new Claim(SecurityStamps.RefreshTokenClaim, session.RefreshTokenId.ToString()),
        ],
        authenticationType: "ticketing"));

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("An authenticated principal without a user id reached an endpoint.");

    public static Actor ToActor(this ClaimsPrincipal user) => new(user.UserId(), user.IsInRole(Roles.Admin));
}

/// <summary>Role claim values and the authorization policies built on them.</summary>
internal static class Roles
{
    public const string Fan = "fan";
    public const string Organizer = "organizer";
    public const string Admin = "admin";

    public const string OrganizerPolicy = "organizer";
    public const string AdminPolicy = "admin";
}
