namespace Ticketing.Infrastructure.Sms;

/// <summary>
/// Section <c>Sms</c>. <c>Provider</c>: <c>Simulated</c> (the default in Development: nothing is sent, the last code
/// per phone is kept in memory for <c>GET /api/dev/sms</c> and written to the log) or <c>None</c> (the default
/// elsewhere: phone verification answers 503). Outside Development, <c>Simulated</c> is refused unless
/// <c>AllowSimulated</c> says a demo is meant (the WebApi's demo settings check).
/// </summary>
public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    public string? Provider { get; set; }

    public bool AllowSimulated { get; set; }
}
