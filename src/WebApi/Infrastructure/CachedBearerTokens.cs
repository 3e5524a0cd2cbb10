using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// Remembers the access tokens this instance has already decrypted. A bearer token is authenticated encryption
/// (AES and HMAC over the serialized claims) and a fan in an on-sale sends the same token with every request, so
/// the second request pays a dictionary lookup instead of the cryptography. The decrypted ticket is the same
/// either way; the handler still refuses it once it has expired, and each request gets its own copy of it.
/// </summary>
internal sealed class CachedBearerTokens(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock) : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    /// <summary>How many tokens are remembered at most; beyond it the cache evicts (and tokens are decrypted again).</summary>
    public const int Capacity = 200_000;

    /// <summary>How long a token is remembered at most, whatever its own lifetime.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText))
        {
            return null;
        }

        if (purpose is null && _tickets.TryGetValue(protectedText, out AuthenticationTicket? known))
        {
            return Copy(known!);
        }

        var ticket = inner.Unprotect(protectedText, purpose);
        if (purpose is null && ticket?.Properties.ExpiresUtc is { } expires && expires > clock.GetUtcNow())
        {
            var until = clock.GetUtcNow() + MaxAge;
            _tickets.Set(protectedText, Copy(ticket), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = expires < until ? expires : until,
            });
        }

        return ticket;
    }

    public void Dispose() => _tickets.Dispose();

    private static AuthenticationTicket Copy(AuthenticationTicket ticket) =>
        new(ticket.Principal.Clone(), ticket.Properties.Clone(), ticket.AuthenticationScheme);

    /// <summary>Wraps the access-token protector that the bearer handler set up (refresh tokens are left as they are).</summary>
    internal sealed class Setup(TimeProvider clock) : IPostConfigureOptions<BearerTokenOptions>, IDisposable
    {
        private readonly List<CachedBearerTokens> _created = [];

        public void PostConfigure(string? name, BearerTokenOptions options)
        {
            if (name == BearerTokenDefaults.AuthenticationScheme && options.BearerTokenProtector is not CachedBearerTokens)
            {
                var cached = new CachedBearerTokens(options.BearerTokenProtector, clock);
                _created.Add(cached);
                options.BearerTokenProtector = cached;
            }
        }

        public void Dispose()
        {
            foreach (var cached in _created)
            {
                cached.Dispose();
            }
        }
    }
}
