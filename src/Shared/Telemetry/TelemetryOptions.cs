namespace Ticketing.Telemetry;

/// <summary>The <c>Telemetry</c> configuration section, the same in both services.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The <c>service.name</c> resource attribute; each service has its own default.</summary>
    public string? ServiceName { get; set; }

    public PrometheusTelemetryOptions Prometheus { get; set; } = new();

    public OtlpTelemetryOptions Otlp { get; set; } = new();
}

internal sealed class PrometheusTelemetryOptions
{
    /// <summary>Serve <c>/metrics</c> in the Prometheus text format (on by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose clients may scrape <c>/metrics</c>, besides loopback. Anyone
    /// else gets the same 404 as an unknown route: sales figures are not for the internet.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];
}

internal sealed class OtlpTelemetryOptions
{
    /// <summary>
    /// The collector (e.g. <c>http://otel-collector:4317</c>). The OTLP exporter (metrics and traces) is on when this
    /// or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and off otherwise.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";
}
