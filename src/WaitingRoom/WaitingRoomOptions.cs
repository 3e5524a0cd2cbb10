using Microsoft.Extensions.Options;

namespace Ticketing.WaitingRoom;

/// <summary>Settings under the <c>WaitingRoom</c> configuration section.</summary>
internal sealed class WaitingRoomOptions
{
    public const string Section = "WaitingRoom";

    /// <summary><c>InProcess</c> (default, one instance) or <c>Redis</c> (several instances share <c>ConnectionStrings:Redis</c>).</summary>
    public StoreKind Store { get; set; } = StoreKind.InProcess;

    /// <summary>Value expected in the <c>X-Admin-Key</c> header. When empty, a random key is generated into <see cref="KeyDirectory"/> and logged.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Base64 HMAC key (at least 32 bytes) that signs queue tickets. When empty, one is generated into <see cref="KeyDirectory"/>.</summary>
    public string? TicketKey { get; set; }

    /// <summary>Folder (relative to the content root, or absolute) for generated development keys.</summary>
    public string KeyDirectory { get; set; } = "data/keys";

    /// <summary>Where an admitted fan is sent: <c>{performanceId}</c> becomes the room's first performance. The pass never goes in the URL: it travels in the <c>wr_pass_{roomId}</c> cookie.</summary>
    public string BookingUrl { get; set; } = DefaultBookingUrl;

    public const string DefaultBookingUrl = "/book/performances/{performanceId}";

    /// <summary>A waiting fan who has not asked for this long loses the place.</summary>
    public int AbandonAfterSeconds { get; set; } = 300;

    /// <summary>Seed the demo room (performance 2, the one the demo paces) when the store has no room.</summary>
    public bool SeedDemoRoom { get; set; } = true;

    /// <summary>Proof of work the seeded demo room asks (leading zero bits; about 1 s on a phone, see docs/PROOF-OF-WORK.md).</summary>
    public int DemoPowDifficulty { get; set; } = DefaultDemoPowDifficulty;

    public const int DefaultDemoPowDifficulty = 19;

    public PassOptions Pass { get; set; } = new();

    public SigningOptions Signing { get; set; } = new();

    public PollingOptions Polling { get; set; } = new();

    public JoinRateLimitOptions JoinRateLimit { get; set; } = new();

    public FanIdentityOptions FanIdentity { get; set; } = new();

    /// <summary>
    /// Origins (scheme://host[:port]) besides the waiting room's own from which a browser may join. A join whose
    /// <c>Origin</c> header names any other site is refused (403), so another site cannot reset a fan's place.
    /// </summary>
    public List<string> JoinAllowedOrigins { get; set; } = [];

    public Admission.AdmissionOptions Admission { get; set; } = new(); // admission (issue 12)
}

/// <summary>Checking the WebApi's fan identity at join (account rooms).</summary>
internal sealed class FanIdentityOptions
{
    /// <summary>The WebApi's <c>/.well-known/fan-identity/jwks.json</c>.</summary>
    public Uri JwksUrl { get; set; } = new("http://localhost:5000/.well-known/fan-identity/jwks.json");

    public string Issuer { get; set; } = "ticketing-webapi";

    public string Audience { get; set; } = "waiting-room";

    /// <summary>Tolerance for clocks that disagree, applied to <c>exp</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An unknown <c>kid</c> triggers at most one JWKS fetch per this interval (forged kids cannot flood the WebApi).</summary>
    public TimeSpan MinJwksRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Known keys are fetched again after this long, so removed keys stop being trusted.</summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>One JWKS fetch gives up after this long (the known keys stay in use).</summary>
    public TimeSpan JwksTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a failed fetch the next waits this long, doubling with each failure in a row...</summary>
    public TimeSpan JwksRetryMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>...up to this long.</summary>
    public TimeSpan JwksRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Identities longer than this are refused before any parsing.</summary>
    public int MaxTokenLength { get; set; } = 2048;
}

internal enum StoreKind
{
    InProcess,
    Redis,
}

internal sealed class PassOptions
{
    public string Issuer { get; set; } = "ticketing-waitingroom";

    public string Audience { get; set; } = "ticketing-webapi";

    /// <summary>Upper bound for any room's pass lifetime; a retired signing key stays published this long.</summary>
    public int MaxLifetimeSeconds { get; set; } = 3600;
}

internal sealed class SigningOptions
{
    /// <summary>PKCS#8 PEM of the active P-256 signing key (production). Empty: a development key in <c>KeyDirectory</c>.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Public keys (PEM) of retired signing keys still published until their passes expire.</summary>
    public List<string> PreviousPublicKeysPem { get; set; } = [];
}

internal sealed class PollingOptions
{
    public int MinIntervalMs { get; set; } = 2000;

    public int MaxIntervalMs { get; set; } = 30000;

    /// <summary>Relative jitter applied to each suggested interval (0.2 = plus or minus 20%).</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Fans of a pre-queue spread their first poll after opening over this many milliseconds.</summary>
    public int OpeningSpreadMs { get; set; } = 10000;
}

internal sealed class JoinRateLimitOptions
{
    public int PermitLimit { get; set; } = 20;

    public int WindowSeconds { get; set; } = 60;
}

internal sealed class WaitingRoomOptionsValidator(IConfiguration configuration) : IValidateOptions<WaitingRoomOptions>
{
    public ValidateOptionsResult Validate(string? name, WaitingRoomOptions options)
    {
        var failures = new List<string>();
        if (options.Store == StoreKind.Redis && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
        {
            failures.Add("WaitingRoom:Store=Redis needs ConnectionStrings:Redis.");
        }

        if (options.AbandonAfterSeconds is < 10 or > 86400)
        {
            failures.Add("WaitingRoom:AbandonAfterSeconds must be between 10 and 86400.");
        }

        if (options.DemoPowDifficulty is < 0 or > ProofOfWork.Hashcash.MaxDifficulty)
        {
            failures.Add($"WaitingRoom:DemoPowDifficulty must be between 0 and {ProofOfWork.Hashcash.MaxDifficulty}.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyDirectory))
        {
            failures.Add("WaitingRoom:KeyDirectory must not be empty.");
        }

        if (options.TicketKey is { Length: > 0 } ticketKey)
        {
            var buffer = new byte[ticketKey.Length];
            if (!Convert.TryFromBase64String(ticketKey, buffer, out var written) || written < 32)
            {
                failures.Add("WaitingRoom:TicketKey must be base64 of at least 32 bytes.");
            }
        }

        if (options.AdminKey is { Length: > 0 and < 16 })
        {
            failures.Add("WaitingRoom:AdminKey must be at least 16 characters.");
        }

        if (string.IsNullOrWhiteSpace(options.BookingUrl)
            || !Uri.TryCreate(options.BookingUrl.Replace("{performanceId}", "1", StringComparison.Ordinal), UriKind.RelativeOrAbsolute, out var booking)
            || (booking.IsAbsoluteUri && booking.Scheme != Uri.UriSchemeHttp && booking.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("WaitingRoom:BookingUrl must be a relative or http(s) URL (it may contain {performanceId}).");
        }

        if (string.IsNullOrWhiteSpace(options.Pass.Issuer) || string.IsNullOrWhiteSpace(options.Pass.Audience))
        {
            failures.Add("WaitingRoom:Pass:Issuer and WaitingRoom:Pass:Audience are required.");
        }

        if (options.Pass.MaxLifetimeSeconds is < 10 or > 86400)
        {
            failures.Add("WaitingRoom:Pass:MaxLifetimeSeconds must be between 10 and 86400.");
        }

        var polling = options.Polling;
        if (polling.MinIntervalMs < 50 || polling.MaxIntervalMs < polling.MinIntervalMs || polling.MaxIntervalMs > 600_000)
        {
            failures.Add("WaitingRoom:Polling needs 50 <= MinIntervalMs <= MaxIntervalMs <= 600000.");
        }

        if (polling.Jitter is < 0 or > 0.9)
        {
            failures.Add("WaitingRoom:Polling:Jitter must be between 0 and 0.9.");
        }

        if (polling.OpeningSpreadMs is < 0 or > 600_000)
        {
            failures.Add("WaitingRoom:Polling:OpeningSpreadMs must be between 0 and 600000.");
        }

        if (options.JoinRateLimit.PermitLimit < 1 || options.JoinRateLimit.WindowSeconds < 1)
        {
            failures.Add("WaitingRoom:JoinRateLimit needs PermitLimit >= 1 and WindowSeconds >= 1.");
        }

        var identity = options.FanIdentity;
        if (!identity.JwksUrl.IsAbsoluteUri || string.IsNullOrWhiteSpace(identity.Issuer) || string.IsNullOrWhiteSpace(identity.Audience)
            || identity.ClockSkew < TimeSpan.Zero || identity.JwksTimeout <= TimeSpan.Zero || identity.JwksRetryMinDelay <= TimeSpan.Zero
            || identity.JwksRetryMaxDelay < identity.JwksRetryMinDelay || identity.MaxTokenLength < 64)
        {
            failures.Add("WaitingRoom:FanIdentity needs an absolute JwksUrl, an Issuer and an Audience, and positive timeouts and delays.");
        }

        foreach (var origin in options.JoinAllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/")
            {
                failures.Add($"WaitingRoom:JoinAllowedOrigins: '{origin}' is not an origin (scheme://host[:port]).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
