using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ticketing.Telemetry;

/// <summary>
/// OpenTelemetry, <c>/metrics</c> and the health endpoints, set up the same way in both services. Our own instruments
/// live on meters named <c>Ticketing.*</c> and are picked up by that one wildcard.
/// </summary>
internal static class ServiceTelemetry
{
    public const string OwnMeters = "Ticketing.*";

    /// <summary>Health checks tagged with this are part of <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder, string defaultServiceName)
    {
        var settings = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var serviceName = string.IsNullOrWhiteSpace(settings.ServiceName) ? defaultServiceName : settings.ServiceName;
        var endpoint = settings.Otlp.Endpoint;
        var otlp = !string.IsNullOrWhiteSpace(endpoint) || !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var httpProtobuf = string.Equals(settings.Otlp.Protocol, "http/protobuf", StringComparison.OrdinalIgnoreCase);

        builder.Services.AddSingleton(new MetricsAccess(settings.Prometheus.AllowedNetworks));
        builder.Services.AddHealthChecks();

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(serviceName));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddMeter(OwnMeters);
            if (settings.Prometheus.Enabled)
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp)
            {
                metrics.AddOtlpExporter(o => Configure(o, endpoint, httpProtobuf, "v1/metrics"));
            }
        });

        // Traces only go somewhere through OTLP; without a collector no span is started, so the hot paths do not
        // pay for activities nobody reads.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsOperatorPath(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(OwnMeters)
                .AddOtlpExporter(o => Configure(o, endpoint, httpProtobuf, "v1/traces")));
        }

        return builder;
    }

    /// <summary>Maps <c>/metrics</c> (when enabled, for allowed clients only), <c>/health/live</c> and <c>/health/ready</c>.</summary>
    public static WebApplication MapServiceTelemetry(this WebApplication app)
    {
        var settings = app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (settings.Prometheus.Enabled)
        {
            app.Use(app.Services.GetRequiredService<MetricsAccess>().FilterAsync);
            app.MapPrometheusScrapingEndpoint(MetricsAccess.Path).ExcludeFromDescription();
        }

        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", Live)
            .WithSummary("Liveness: the process answers.")
            .WithDescription("Checks no dependency; restart the process only when this fails.")
            .Produces<HealthBody>(StatusCodes.Status200OK);
        health.MapGet("/ready", ReadyAsync)
            .WithSummary("Readiness: every dependency this instance needs answers.")
            .WithDescription("Each check with its status; 503 when any check is unhealthy, so a load balancer sends no fans here.")
            .Produces<HealthBody>(StatusCodes.Status200OK)
            .Produces<HealthBody>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static JsonHttpResult<HealthBody> Live(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new HealthBody(nameof(HealthStatus.Healthy), new Dictionary<string, HealthCheckBody>()));
    }

    internal static async Task<JsonHttpResult<HealthBody>> ReadyAsync(HttpContext http, HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        var checks = new Dictionary<string, HealthCheckBody>(report.Entries.Count, StringComparer.Ordinal);
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new HealthCheckBody(entry.Status.ToString(), entry.Description, Math.Round(entry.Duration.TotalMilliseconds, 1));
        }

        http.Response.Headers.CacheControl = "no-store";
        var status = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return TypedResults.Json(new HealthBody(report.Status.ToString(), checks), statusCode: status);
    }

    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(MetricsAccess.Path, StringComparison.OrdinalIgnoreCase);

    private static void Configure(OtlpExporterOptions options, string? endpoint, bool httpProtobuf, string signalPath)
    {
        options.Protocol = httpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return; // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT itself.
        }

        // A programmatic endpoint is used as given: with http/protobuf the signal's path must be added.
        options.Endpoint = httpProtobuf ? new Uri(endpoint.TrimEnd('/') + "/" + signalPath) : new Uri(endpoint);
    }
}

/// <summary>Answer of the health endpoints: the overall status and each check's.</summary>
internal sealed record HealthBody(string Status, IReadOnlyDictionary<string, HealthCheckBody> Checks);

internal sealed record HealthCheckBody(string Status, string? Description, double DurationMs);
