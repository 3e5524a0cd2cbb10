using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Ticketing.Application.Catalog;
using Ticketing.Application.Events;
using Ticketing.WebApi.Infrastructure;
using Ticketing.WebApi.SeatMaps;

namespace Ticketing.WebApi.Endpoints;

/// <summary>What anyone may read: published events, their performances, and seat maps.</summary>
internal static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Catalog").AllowAnonymous();
        group.MapGet("/events", SearchPublishedEvents).ProducesValidationProblem();
        group.MapGet("/events/{eventId:long}", GetPublishedEvent).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/performances/{performanceId:long}", GetPublishedPerformance).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/cancellation-policy", GetCancellationPolicy);
        group.MapGet("/performances/{performanceId:long}/seats", GetSeatMapOfPerformance)
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/performances/{performanceId:long}/seats/stream", SeatStreamEndpoint.StreamSeatChanges)
            .Produces<string>(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>Searches published events by keyword, category and performance dates, soonest first.</summary>
    public static async Task<Results<Ok<PagedResult<EventSummaryDto>>, ProblemHttpResult>> SearchPublishedEvents(
        HttpContext context,
        IMediator mediator,
        CancellationToken cancellationToken,
        string? q = null,
        string? category = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        int page = 1,
        int pageSize = 20) =>
        (await mediator.Send(new SearchEvents(q, category, from, to, page, pageSize), cancellationToken)).ToOk(context);

    /// <summary>A published event with its performances and prices.</summary>
    public static async Task<Results<Ok<EventDetailsDto>, ProblemHttpResult>> GetPublishedEvent(long eventId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetEvent(eventId), cancellationToken)).ToOk(context);

    /// <summary>A performance of a published event.</summary>
    public static async Task<Results<Ok<PerformanceDto>, ProblemHttpResult>> GetPublishedPerformance(long performanceId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetPerformance(performanceId), cancellationToken)).ToOk(context);

    /// <summary>The cancellation deadline (minutes before the show) and the fee schedule a paid order gets.</summary>
    public static async Task<Ok<Ticketing.Application.Payments.CancellationPolicyDto>> GetCancellationPolicy(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Ticketing.Application.Payments.GetCancellationPolicy(), cancellationToken));

    /// <summary>
    /// Every seat with its label, position, grade, price and status (available / held / sold). Rendered at most
    /// once per <c>SeatMap:CacheMilliseconds</c> per instance, served gzip-compressed when accepted, with an
    /// ETag for conditional requests. <c>version</c> is the live stream's version when the statuses were read.
    /// </summary>
    public static async Task<IResult> GetSeatMapOfPerformance(
        long performanceId,
        HttpContext context,
        IMediator mediator,
        IMemoryCache cache,
        IOptions<SeatMapOptions> options,
        CancellationToken cancellationToken)
    {
        var key = ("seat-map-render", performanceId);
        if (!cache.TryGetValue(key, out RenderedSeatMap? rendered))
        {
            var result = await mediator.Send(new GetSeatMap(performanceId), cancellationToken);
            if (!result.IsSuccess)
            {
                return result.Error!.ToProblem(context);
            }

            rendered = SeatMapWriter.Render(result.Value);
            // 0 (allowed by the options) means render every time; MemoryCache refuses a zero lifetime.
            if (options.Value.CacheMilliseconds > 0)
            {
                cache.Set(key, rendered, TimeSpan.FromMilliseconds(options.Value.CacheMilliseconds));
            }
        }

        var response = context.Response;
        response.Headers.ETag = rendered!.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.Vary = "Accept-Encoding";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == rendered.ETag || t.Trim() == "*")))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var gzip = context.Request.Headers.AcceptEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(rendered.Gzip, "application/json");
        }

        return TypedResults.Bytes(rendered.Json, "application/json");
    }
}

/// <summary><c>SeatMap</c> section.</summary>
public sealed class SeatMapOptions
{
    /// <summary>How long one rendering is served before statuses are read again (per instance).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 10_000)]
    public int CacheMilliseconds { get; set; } = 1000;
}
