using Microsoft.Extensions.Options;

namespace Ticketing.WaitingRoom.Admission;

/// <summary>Settings under <c>WaitingRoom:Admission</c>: the controller that paces rooms by the seats left and the WebApi's health.</summary>
internal sealed class AdmissionOptions
{
    /// <summary>Run the controller job each second (on every instance; one at a time does the work, under the lease).</summary>
    public bool ControllerEnabled { get; set; } = true;

    /// <summary>The WebApi that answers <c>GET /api/inventory</c>. Empty: the gateway's first destination.</summary>
    public string? InventoryUrl { get; set; }

    /// <summary>Sent in <c>X-Service-Key</c>; the WebApi shows its health figures only to a caller with its <c>Inventory:ServiceKey</c>.</summary>
    public string? ServiceKey { get; set; }

    /// <summary>How long the controller's facts pace a room; after that (the controller stopped) the room admits at its set rate.</summary>
    public int StaleAfterSeconds { get; set; } = 10;

    /// <summary>How long the controller holds its lease without renewing it (another instance takes over after this).</summary>
    public int LeaseSeconds { get; set; } = 3;

    /// <summary>The inventory request's time limit; a slower answer skips this second (the last facts stay until stale).</summary>
    public int InventoryTimeoutMs { get; set; } = 800;

    /// <summary>Each unhealthy second multiplies the rate factor by this (multiplicative decrease).</summary>
    public double BackOffFactor { get; set; } = 0.5;

    /// <summary>Each healthy second adds this to the rate factor, up to 1 (additive increase).</summary>
    public double RecoveryStep { get; set; } = 0.1;

    /// <summary>The rate factor never goes below this, so a room never stops for health alone.</summary>
    public double MinRateFactor { get; set; } = 0.05;
}

internal sealed class AdmissionOptionsValidator : IValidateOptions<WaitingRoomOptions>
{
    public ValidateOptionsResult Validate(string? name, WaitingRoomOptions options)
    {
        var a = options.Admission;
        var failures = new List<string>();
        if (a.InventoryUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add("WaitingRoom:Admission:InventoryUrl must be an absolute http(s) URL.");
        }

        if (a.StaleAfterSeconds is < 2 or > 600)
        {
            failures.Add("WaitingRoom:Admission:StaleAfterSeconds must be between 2 and 600.");
        }

        if (a.LeaseSeconds is < 2 or > 60)
        {
            failures.Add("WaitingRoom:Admission:LeaseSeconds must be between 2 and 60.");
        }

        if (a.InventoryTimeoutMs is < 50 or > 10_000)
        {
            failures.Add("WaitingRoom:Admission:InventoryTimeoutMs must be between 50 and 10000.");
        }

        if (a.BackOffFactor is <= 0 or >= 1 || a.RecoveryStep is <= 0 or > 1 || a.MinRateFactor is <= 0 or > 1)
        {
            failures.Add("WaitingRoom:Admission needs 0 < BackOffFactor < 1, 0 < RecoveryStep <= 1 and 0 < MinRateFactor <= 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
