using System.Security.Claims;
using Ticketing.Application.Accounts;
using Ticketing.Application.Events;

namespace Ticketing.WebApi.Infrastructure;

internal static class UserClaims
{
    public static ClaimsPrincipal ToPrincipal(AccountDto account) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new Claim(ClaimTypes.Email, account.Email),
            new Claim(ClaimTypes.Name, account.DisplayName),
            new Claim(ClaimTypes.Role, account.Role),
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
