using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Ticketing.Application.Common;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>A registration challenge as <c>GET /api/accounts/registration-challenge</c> answers it; difficulty 0 means none is needed now.</summary>
public sealed record RegistrationChallengeResponse(string Challenge, int Difficulty, DateTimeOffset ExpiresAt);

/// <summary>
/// Proof of work on registration, the same puzzle as the waiting room's join: SHA-256 of <c>challenge ":" nonce</c> must
/// start with <c>difficulty</c> zero bits. The challenge is <c>rg1.{protected}</c>, the data-protection key ring
/// (shared by every instance) sealing its difficulty, expiry and random id, so it needs no server state until used.
/// A used challenge is remembered by this instance until it expires.
/// </summary>
internal sealed class RegistrationProofOfWork(IDataProtectionProvider protection, RegistrationDifficulty difficulty, IOptions<RegistrationProofOfWorkOptions> options, TimeProvider clock)
{
    public const string Header = "X-Proof-Of-Work";
    private const string Prefix = "rg1.";
    private const int MaxLength = 400;
    private const int MaxNonceLength = 32;

    private readonly IDataProtector _protector = protection.CreateProtector("Ticketing.WebApi.RegistrationProofOfWork.v1");
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);
    private long _nextSweepMs;

    public async Task<RegistrationChallengeResponse> IssueAsync(CancellationToken cancellationToken)
    {
        var bits = await difficulty.CurrentAsync(cancellationToken);
        var expiresAtMs = (clock.GetUtcNow() + options.Value.ChallengeLifetime).ToUnixTimeMilliseconds();
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var sealedBody = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{bits}.{expiresAtMs}.{id}"));
        return new RegistrationChallengeResponse(Prefix + sealedBody, bits, DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs));
    }

    /// <summary>Null when registration may go on; otherwise the 403 <c>pow.required</c> / <c>pow.invalid</c> to answer.</summary>
    public async Task<Error?> CheckAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var bits = await difficulty.CurrentAsync(cancellationToken);
        if (bits <= 0)
        {
            return null;
        }

        var header = context.Request.Headers[Header];
        var value = header.Count > 0 ? header[0] : null;
        if (string.IsNullOrEmpty(value))
        {
            return new Error(ErrorKind.Forbidden, "pow.required", $"Registration asks for proof of work while the sale's waiting rooms are open: GET /api/accounts/registration-challenge, then send {Header}: {{challenge}}:{{nonce}}.");
        }

        var split = value.LastIndexOf(':');
        if (split <= 0 || value.Length > MaxLength || value.Length - split - 1 is 0 or > MaxNonceLength || !TryRead(value[..split], out var asked, out var expiresAtMs, out var id))
        {
            return Invalid("The challenge is malformed or was not issued by this service.");
        }

        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (expiresAtMs <= nowMs)
        {
            return Invalid("The challenge expired before it was sent.");
        }

        if (asked < bits)
        {
            return Invalid($"Registration now asks for {bits} zero bits; this challenge asked for {asked}.");
        }

        if (!IsSolved(value[..split], value[(split + 1)..], asked))
        {
            return Invalid("The nonce does not solve the challenge.");
        }

        Sweep(nowMs);
        return _used.TryAdd(id, expiresAtMs) ? null : Invalid("The challenge was already used; each account needs a challenge of its own.");
    }

    private static Error Invalid(string why) =>
        new(ErrorKind.Forbidden, "pow.invalid", why + " Get a new one from GET /api/accounts/registration-challenge.");

    private bool TryRead(string challenge, out int bits, out long expiresAtMs, out string id)
    {
        bits = 0;
        expiresAtMs = 0;
        id = string.Empty;
        if (!challenge.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        string body;
        try
        {
            body = _protector.Unprotect(challenge[Prefix.Length..]);
        }
        catch (CryptographicException)
        {
            return false;
        }

        var parts = body.Split('.');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out bits)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out expiresAtMs))
        {
            return false;
        }

        id = parts[2];
        return true;
    }

    internal static bool IsSolved(string challenge, string nonce, int bits)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(challenge + ":" + nonce), hash);
        var zeros = 0;
        foreach (var b in hash)
        {
            if (b != 0)
            {
                zeros += System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24;
                break;
            }

            zeros += 8;
        }

        return zeros >= bits;
    }

    /// <summary>At most once a second, forgets used challenges that expired (each entry cost a solved challenge).</summary>
    private void Sweep(long nowMs)
    {
        var next = Interlocked.Read(ref _nextSweepMs);
        if (nowMs < next || Interlocked.CompareExchange(ref _nextSweepMs, nowMs + 1000, next) != next)
        {
            return;
        }

        foreach (var pair in _used)
        {
            if (pair.Value <= nowMs)
            {
                _used.TryRemove(pair);
            }
        }
    }
}

internal static class RegistrationProofOfWorkServiceCollectionExtensions
{
    public static IServiceCollection AddRegistrationProofOfWork(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RegistrationProofOfWorkOptions>().Bind(configuration.GetSection(RegistrationProofOfWorkOptions.Section))
            .Validate(
                o => o.PolicyUrl.IsAbsoluteUri && o.Difficulty is >= 0 and <= RegistrationDifficulty.MaxDifficulty && o.CacheFor > TimeSpan.Zero
                    && o.PolicyTimeout > TimeSpan.Zero && o.ChallengeLifetime > TimeSpan.Zero,
                $"{RegistrationProofOfWorkOptions.Section}: PolicyUrl must be absolute, Difficulty between 0 and {RegistrationDifficulty.MaxDifficulty}, and the times positive.")
            .ValidateOnStart();
        services.AddHttpClient(nameof(RegistrationDifficulty));
        services.AddSingleton(sp => new RegistrationDifficulty(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(RegistrationDifficulty)),
            sp.GetRequiredService<IOptions<RegistrationProofOfWorkOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RegistrationProofOfWork>();
        return services;
    }
}
