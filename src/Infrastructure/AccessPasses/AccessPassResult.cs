namespace Ticketing.Infrastructure.AccessPasses;

/// <summary>Why a pass was refused. <see cref="None"/> means it was accepted.</summary>
internal enum AccessPassError
{
    None,
    Missing,
    Malformed,
    BadSignature,
    UnknownKey,
    Expired,
    NotYetValid,
    WrongAudience,
    WrongIssuer,
    WrongPerformance,

    /// <summary>No key of the waiting room is known and the JWKS cannot be fetched: nobody's pass can be checked.</summary>
    KeysUnavailable,
}

/// <summary>The claims of a checked pass.</summary>
/// <param name="Jti">Unique pass id (bind it to the first account that uses it).</param>
/// <param name="Subject">The queue ticket id the pass was issued to.</param>
internal sealed record AccessPassClaims(string Jti, string Subject, string Room, long[] PerformanceIds, DateTimeOffset ExpiresAt, DateTimeOffset NotBefore)
{
    public bool Covers(long performanceId) => Array.IndexOf(PerformanceIds, performanceId) >= 0;
}

/// <summary>Outcome of <see cref="AccessPassVerifier.VerifyAsync"/>: an error value, plus the claims when accepted.</summary>
internal readonly record struct AccessPassResult(AccessPassError Error, AccessPassClaims? Claims)
{
    public bool IsValid => Error == AccessPassError.None;

    public static AccessPassResult Fail(AccessPassError error) => new(error, null);

    public static AccessPassResult Ok(AccessPassClaims claims) => new(AccessPassError.None, claims);
}
