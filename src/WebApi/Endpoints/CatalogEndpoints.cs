using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
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
        group.MapGet("/performances/{performanceId:long}/seats/layout", GetSeatLayoutOfPerformance)
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/performances/{performanceId:long}/seats/statuses", GetSeatStatusesOfPerformance)
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
    /// Every seat with its label, position, grade, price and status (available / held / sold). Statuses are read at
    /// most once per <c>SeatMap:CacheMilliseconds</c> per instance, and one reading serves every request waiting on
    /// it; served gzip-compressed when accepted, with an ETag for conditional requests. <c>version</c> is the live
    /// stream's version when the statuses were read.
    /// </summary>
    public static async Task<IResult> GetSeatMapOfPerformance(long performanceId, HttpContext context, SeatMapRenders renders, CancellationToken cancellationToken)
    {
        var reading = await renders.GetAsync(performanceId, cancellationToken);
        return reading.IsSuccess ? SeatMapResponse.Write(context, reading.Value.Full, "no-cache") : reading.Error!.ToProblem(context);
    }

    /// <summary>
    /// The seats' fixed part, one array per field (<c>id, section, grade, x, y, row, number</c>, and <c>label</c> when
    /// labels do not follow <c>{section} {row}-{number}</c>), for clients that draw large maps: rendered and
    /// compressed (Brotli, gzip) once per instance, revalidated with its ETag. Pair it with <c>/seats/statuses</c>.
    /// </summary>
    public static async Task<IResult> GetSeatLayoutOfPerformance(long performanceId, HttpContext context, ISeatLayoutCache layouts, CancellationToken cancellationToken)
    {
        var layout = await layouts.GetAsync(performanceId, cancellationToken);
        if (layout is not { IsPublished: true })
        {
            return Ticketing.Application.Common.Error.NotFound("performance.not_found", "No published performance has this id.").ToProblem(context);
        }

        return SeatMapResponse.Write(context, SeatLayoutWriter.Get(layout), "no-cache");
    }

    /// <summary>
    /// The seats' statuses alone, one byte per seat in the layout's order (base64), with the live stream's
    /// <c>version</c>: read as the full map is (single flight, <c>SeatMap:CacheMilliseconds</c>).
    /// </summary>
    public static async Task<IResult> GetSeatStatusesOfPerformance(long performanceId, HttpContext context, SeatMapRenders renders, CancellationToken cancellationToken)
    {
        var reading = await renders.GetAsync(performanceId, cancellationToken);
        return reading.IsSuccess ? SeatMapResponse.Write(context, reading.Value.Statuses, "no-cache") : reading.Error!.ToProblem(context);
    }
}

/// <summary><c>SeatMap</c> section.</summary>
public sealed class SeatMapOptions
{
    /// <summary>How long one rendering is served before statuses are read again (per instance).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 10_000)]
    public int CacheMilliseconds { get; set; } = 1000;
}
