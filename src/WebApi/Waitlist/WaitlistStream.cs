using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Ticketing.Application.Waitlist;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Waitlist;

/// <summary>
/// <c>GET /api/waitlist/stream</c>: the signed-in fan's waitlist offers as server-sent events. First a <c>ready</c>
/// event, then one <c>offer</c> event (the offer as JSON) per offer made to the fan on this instance, and
/// <c>: ping</c> every 15 s. A page that reconnects reads its entry again (<c>GET .../waitlist/me</c>) for offers it
/// may have missed.
/// </summary>
internal static class WaitlistStream
{
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(15);

    public static IResult StreamMyOffers(HttpContext context, WaitlistNotifications notifications, IOptions<JsonOptions> json) =>
        new StreamResult(notifications.Subscribe(context.User.UserId()), json.Value.SerializerOptions);

    private sealed class StreamResult(WaitlistNotifications.Subscription subscription, JsonSerializerOptions json) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using (subscription)
            {
                var response = httpContext.Response;
                response.ContentType = "text/event-stream";
                response.Headers.CacheControl = "no-cache";
                response.Headers["X-Accel-Buffering"] = "no";
                var aborted = httpContext.RequestAborted;
                try
                {
                    await response.StartAsync(aborted);
                    await response.WriteAsync("event: ready\ndata: {}\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    var offers = subscription.Offers;
                    while (!aborted.IsCancellationRequested)
                    {
                        using var ping = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                        ping.CancelAfter(PingEvery);
                        bool more;
                        try
                        {
                            more = await offers.WaitToReadAsync(ping.Token);
                        }
                        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                        {
                            await response.WriteAsync(": ping\n\n", aborted);
                            await response.Body.FlushAsync(aborted);
                            continue;
                        }

                        if (!more)
                        {
                            return;
                        }

                        var frames = new StringBuilder();
                        while (offers.TryRead(out var offer))
                        {
                            frames.Append("event: offer\ndata: ").Append(JsonSerializer.Serialize(offer, json)).Append("\n\n");
                        }

                        await response.WriteAsync(frames.ToString(), aborted);
                        await response.Body.FlushAsync(aborted);
                    }
                }
                catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                {
                    // The client went away; disposing the subscription ends it.
                }
            }
        }
    }
}
