namespace Ticketing.WebApi.FanIdentity;

/// <summary>Settings under <c>FanIdentity</c>: the signed identity a signed-in fan presents to the waiting room.</summary>
public sealed class FanIdentityOptions
{
    public const string SectionName = "FanIdentity";

    /// <summary>The identity's <c>iss</c>; the waiting room expects the same (<c>WaitingRoom:FanIdentity:Issuer</c>).</summary>
    public string Issuer { get; set; } = "ticketing-webapi";

    /// <summary>The identity's <c>aud</c>: the waiting room.</summary>
    public string Audience { get; set; } = "waiting-room";

    /// <summary>How long an identity is good for: long enough to join, short enough that a leaked one soon is worthless.</summary>
    public int LifetimeSeconds { get; set; } = 300;

    /// <summary>PKCS#8 PEM of the P-256 signing key (production). Empty: a key generated once into <see cref="KeyFile"/>.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Public keys (PEM) of earlier signing keys, still published until the identities they signed have expired.</summary>
    public List<string> PreviousPublicKeysPem { get; set; } = [];

    /// <summary>Where the generated key is kept (default: <c>fan-identity.pem</c> in the data-protection key folder, git-ignored).</summary>
    public string? KeyFile { get; set; }
}
