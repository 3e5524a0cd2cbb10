using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Ticketing.Application.Abstractions;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// Refuses tokens issued under an account's old security stamp, on every request: a role change or a detected
/// refresh-token theft ends the account's sessions at once, although access tokens are decrypted from a cache
/// (<see cref="CachedBearerTokens"/>). The current stamp is read from the database once per account and
/// <see cref="CacheLifetime"/> on each instance; the instance that changes a stamp forgets its copy at once, the
/// others within <see cref="CacheLifetime"/>.
/// </summary>
internal sealed class SecurityStamps(IServiceScopeFactory scopes) : IClaimsTransformation, IDisposable
{
    public const string StampClaim = "ticketing:stamp";
    public const string RefreshTokenClaim = "ticketing:rt";

    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(15);

    private readonly MemoryCache _stamps = new(new MemoryCacheOptions { SizeLimit = 500_000 });

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return principal;
        }

        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(StampClaim), out var stamp)
            || !await IsCurrentAsync(userId, stamp))
        {
            // Revoked (or issued before stamps existed): the request goes on as anonymous, so it is answered 401.
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        return principal;
    }

    /// <summary>Forgets this instance's copy after the account's stamp changed (tokens under the old one are refused at once).</summary>
    public void Forget(Guid userId) => _stamps.Remove(userId);

    public void Dispose() => _stamps.Dispose();

    /// <summary>
    /// After authentication: a request whose token was revoked (made anonymous above) is answered as not logged in
    /// (401), not as logged in without the right (403), which the framework would infer from the successful decryption.
    /// </summary>
    public static IApplicationBuilder UseRevokedTokensAsAnonymous(IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated != true
            && context.Features.Get<IAuthenticateResultFeature>() is { AuthenticateResult.Succeeded: true } feature)
        {
            feature.AuthenticateResult = AuthenticateResult.NoResult();
        }

        return next(context);
    });

    /// <summary>
    /// The cached stamp answers most requests. A token with another stamp makes this instance read the stamp again
    /// once (the stamp may have changed on another instance, e.g. a new login after a role change there); a stamp
    /// found stale is then refused from the cache for <see cref="CacheLifetime"/>.
    /// </summary>
    private async ValueTask<bool> IsCurrentAsync(Guid userId, Guid stamp)
    {
        if (_stamps.TryGetValue(userId, out Guid? known) && known == stamp)
        {
            return true;
        }

        var refused = (userId, stamp);
        if (_stamps.TryGetValue(refused, out _))
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var current = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (Guid?)u.SecurityStamp).SingleOrDefaultAsync();
        var entry = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheLifetime };
        _stamps.Set(userId, current, entry);
        if (current == stamp)
        {
            return true;
        }

        _stamps.Set(refused, true, entry);
        return false;
    }
}
