using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.AccessPasses;

/// <summary>
/// Verifies a pass (signature, expiry, audience, sale) and checks whose it is. An account room's pass names the
/// account in <c>sub</c> (a Guid in "D" format; an anonymous room's <c>sub</c> is a 22-character queue ticket id, which
/// never parses as one): it is good for that account alone, so a leaked pass is worthless to anyone else. An anonymous
/// room's pass is bound to the first account that presents it. The binding is a row under a primary key on the pass id, so two instances (or two racing requests) agree on
/// the first account; each instance then remembers it in memory until the pass expires.
/// </summary>
internal sealed class AccessPassGate(AccessPassVerifier verifier, AccessPassBindingCache bindings, IServiceScopeFactory scopes, IUniqueViolationDetector uniqueViolations, TimeProvider clock)
    : IAccessPassGate
{
    public async ValueTask<AccessPassCheck> CheckAsync(string? pass, long performanceId, string? waitingRoomId, Guid accountId, CancellationToken cancellationToken)
    {
        var check = await CheckPassAsync(pass, performanceId, waitingRoomId, accountId, cancellationToken);
        AccessPassMetrics.Checked(check);
        return check;
    }

    private async ValueTask<AccessPassCheck> CheckPassAsync(string? pass, long performanceId, string? waitingRoomId, Guid accountId, CancellationToken cancellationToken)
    {
        var result = await verifier.VerifyAsync(pass, performanceId, cancellationToken);

        if (!result.IsValid)
        {
            return result.Error switch
            {
                AccessPassError.Missing => AccessPassCheck.Missing,
                AccessPassError.KeysUnavailable => AccessPassCheck.Unavailable,
                AccessPassError.Expired or AccessPassError.NotYetValid => AccessPassCheck.Expired,
                AccessPassError.WrongPerformance => AccessPassCheck.WrongSale,
                _ => AccessPassCheck.Invalid,
            };
        }

        var claims = result.Claims!;
        if (waitingRoomId is not null && !string.Equals(claims.Room, waitingRoomId, StringComparison.Ordinal))
        {
            return AccessPassCheck.WrongSale;
        }

        if (claims.Jti.Length is 0 or > AccessPassBinding.MaxJtiLength)
        {
            return AccessPassCheck.Invalid;
        }

        if (AccountOf(claims.Subject) is { } issuedTo)
        {
            return issuedTo == accountId ? AccessPassCheck.Accepted : AccessPassCheck.IssuedToAnotherAccount;
        }

        var owner = bindings.Find(claims.Jti, clock.GetUtcNow()) ?? await BindAsync(claims, accountId, cancellationToken);
        return owner == accountId ? AccessPassCheck.Accepted : AccessPassCheck.BoundToAnotherAccount;
    }

    /// <summary>The account an account room's pass was issued to, or null for an anonymous room's pass.</summary>
    internal static Guid? AccountOf(string subject) =>
        subject.Length == 36 && Guid.TryParseExact(subject, "D", out var account) ? account : null;

    private async Task<Guid> BindAsync(AccessPassClaims claims, Guid accountId, CancellationToken cancellationToken)
    {
        // Once per pass and instance: the database is reached through a scope of its own, so a known pass costs no DbContext.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var existing = await db.Set<AccessPassBinding>().AsNoTracking().SingleOrDefaultAsync(b => b.Jti == claims.Jti, cancellationToken);
        if (existing is null)
        {
            var binding = new AccessPassBinding { Jti = claims.Jti, AccountId = accountId, ExpiresAt = claims.ExpiresAt };
            db.Add(binding);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                existing = binding;
            }
            catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
            {
                db.ChangeTracker.Clear();
                existing = await db.Set<AccessPassBinding>().AsNoTracking().SingleAsync(b => b.Jti == claims.Jti, cancellationToken);
            }
        }

        bindings.Remember(existing.Jti, existing.AccountId, existing.ExpiresAt, clock.GetUtcNow());
        return existing.AccountId;
    }
}

/// <summary>Pass id → bound account, per instance, until each pass expires (a repeat costs a dictionary lookup).</summary>
internal sealed class AccessPassBindingCache
{
    private const int MaxEntries = 200_000;
    private readonly ConcurrentDictionary<string, (Guid Account, DateTimeOffset ExpiresAt)> _owners = new(StringComparer.Ordinal);

    public Guid? Find(string jti, DateTimeOffset now) =>
        _owners.TryGetValue(jti, out var owner) && owner.ExpiresAt > now ? owner.Account : null;

    public void Remember(string jti, Guid account, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (_owners.Count >= MaxEntries)
        {
            foreach (var (key, value) in _owners)
            {
                if (value.ExpiresAt <= now)
                {
                    _owners.TryRemove(key, out _);
                }
            }
        }

        if (_owners.Count < MaxEntries)
        {
            _owners[jti] = (account, expiresAt);
        }
    }
}
