using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Ticketing.WaitingRoom.Gateway;

namespace Ticketing.WaitingRoom.Admission;

/// <summary>One performance's seats, as the WebApi's inventory endpoint answers.</summary>
internal sealed record PerformanceInventoryDto(long PerformanceId, int Seats, int Available, int Held);

/// <summary>The WebApi's recent health: p99 latency and share of 5xx answers over its last few seconds.</summary>
internal sealed record WebApiHealthDto(int WindowSeconds, long Requests, double P99Ms, double ErrorRate);

/// <summary>The body of the WebApi's <c>GET /api/inventory</c>; <c>Health</c> is null unless the service key was accepted.</summary>
internal sealed record InventoryReportDto(DateTimeOffset AsOf, List<PerformanceInventoryDto> Performances, WebApiHealthDto? Health);

/// <summary>Reads the WebApi's cached inventory endpoint for a set of performances.</summary>
internal sealed partial class InventoryClient(HttpClient http, IOptions<WaitingRoomOptions> options, IOptions<GatewayOptions> gateway, ILogger<InventoryClient> logger)
{
    public const string ServiceKeyHeader = "X-Service-Key";

    /// <summary>The report, or null when the WebApi did not answer in time or answered an error (logged).</summary>
    public async Task<InventoryReportDto?> GetAsync(IReadOnlyCollection<long> performanceIds, CancellationToken cancellationToken)
    {
        var admission = options.Value.Admission;
        var baseUrl = admission.InventoryUrl is { Length: > 0 } url ? url : gateway.Value.EffectiveDestinations()[0];
        var uri = new Uri(new Uri(baseUrl), "/api/inventory?performanceIds=" + string.Join(',', performanceIds));
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (admission.ServiceKey is { Length: > 0 } key)
        {
            request.Headers.Add(ServiceKeyHeader, key);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(admission.InventoryTimeoutMs);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, (int)response.StatusCode);
                return null;
            }

            return await response.Content.ReadFromJsonAsync(WaitingRoomJsonContext.Default.InventoryReportDto, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or NotSupportedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnavailable(logger, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The inventory endpoint answered {Status}; rooms keep their last facts until stale")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The inventory endpoint did not answer ({Reason}); rooms keep their last facts until stale")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
