using System.Buffers;
using System.Globalization;
using Ticketing.Application.Catalog;
using Ticketing.Application.Common;
using Ticketing.Infrastructure.SeatChanges;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.SeatMaps;

/// <summary>
/// <c>GET /api/performances/{id}/seats/stream</c>: the live seat map as server-sent events. The stream subscribes to
/// the instance's <see cref="SeatChangeHub"/> and writes the frames it is handed; it reads nothing itself.
/// </summary>
internal static class SeatStreamEndpoint
{
    /// <summary>
    /// First <c>version</c> (the version the stream continues from), then <c>seats</c> events with
    /// <c>[[seatId, statusIndex], ...]</c> at most every 250 ms, <c>reload</c> when the client must fetch the map
    /// again, and <c>: ping</c> every 15 s. <c>Last-Event-ID</c> resumes: what was missed comes as one event, or
    /// <c>reload</c> when it is no longer known. 503 with Retry-After when the instance has its maximum of streams.
    /// </summary>
    public static async Task<IResult> StreamSeatChanges(long performanceId, HttpContext context, ISeatLayoutCache layouts, SeatChangeHub hub, CancellationToken cancellationToken)
    {
        var layout = await layouts.GetAsync(performanceId, cancellationToken);
        if (layout is not { IsPublished: true })
        {
            return Error.NotFound("performance.not_found", "No published performance has this id.").ToProblem(context);
        }

        long? lastEventId = long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        var listener = await hub.SubscribeAsync(performanceId, lastEventId, cancellationToken);
        if (listener is null)
        {
            return Error.Unavailable("seats.stream_full", "This server has as many live seat maps open as it serves; try again shortly.", TimeSpan.FromSeconds(5))
                .ToProblem(context);
        }

        return new StreamResult(listener);
    }

    private sealed class StreamResult(SeatListener listener) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using (listener)
            {
                var response = httpContext.Response;
                response.ContentType = "text/event-stream";
                response.Headers.CacheControl = "no-cache";
                response.Headers["X-Accel-Buffering"] = "no";
                var aborted = httpContext.RequestAborted;
                try
                {
                    await response.StartAsync(aborted);
                    var frames = listener.Frames;
                    while (await frames.WaitToReadAsync(aborted))
                    {
                        while (frames.TryRead(out var frame))
                        {
                            response.BodyWriter.Write(frame);
                        }

                        await response.BodyWriter.FlushAsync(aborted);
                    }
                }
                catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                {
                    // The client went away; disposing the listener unsubscribes it.
                }
            }
        }
    }
}
