namespace Ticketing.Infrastructure.AccessPasses;

/// <summary>Settings for checking WaitingRoom passes (bind from e.g. <c>AccessPasses</c> in configuration).</summary>
internal sealed class AccessPassVerifierOptions
{
    /// <summary>The WaitingRoom's <c>/.well-known/jwks.json</c>.</summary>
    public Uri JwksUrl { get; set; } = new("http://localhost:5080/.well-known/jwks.json");

    public string Issuer { get; set; } = "ticketing-waitingroom";

    public string Audience { get; set; } = "ticketing-webapi";

    /// <summary>Tolerance for clocks that disagree, applied to <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An unknown <c>kid</c> triggers at most one JWKS fetch per this interval (so forged kids cannot flood the WaitingRoom).</summary>
    public TimeSpan MinJwksRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Known keys are re-fetched after this long even without an unknown kid, so removed keys stop being trusted.</summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>One JWKS fetch gives up after this long (the known keys stay in use).</summary>
    public TimeSpan JwksTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a failed fetch the next waits this long, doubling with each failure in a row...</summary>
    public TimeSpan JwksRetryMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>...up to this long.</summary>
    public TimeSpan JwksRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound on remembered successful verifications.</summary>
    public int MaxCachedPasses { get; set; } = 100_000;

    /// <summary>Passes longer than this are refused as malformed before any parsing.</summary>
    public int MaxTokenLength { get; set; } = 4096;
}
