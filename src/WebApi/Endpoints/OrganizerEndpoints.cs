using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Ticketing.Application.Events;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>Organizers create, edit and publish their own events; admins may act on any.</summary>
internal static class OrganizerEndpoints
{
    /// <summary>A 100,000-seat map written seat by seat is about 10 MB of JSON; ranges make it far smaller.</summary>
    public const long SeatMapBodyLimit = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapOrganizerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizer").WithTags("Organizer")
            .RequireAuthorization(Roles.OrganizerPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/events", ListMyEvents).ProducesValidationProblem();
        group.MapPost("/events", CreateMyEvent).ProducesValidationProblem();
        group.MapGet("/events/{eventId:long}", GetMyEvent).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/events/{eventId:long}", UpdateMyEvent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/events/{eventId:long}/performances", AddMyPerformance)
            .WithMetadata(new RequestSizeLimitAttribute(SeatMapBodyLimit))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapPut("/performances/{performanceId:long}", UpdateMyPerformance).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/events/{eventId:long}/publish", PublishMyEvent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/performances/{performanceId:long}/sales", GetMySales).ProducesProblem(StatusCodes.Status404NotFound);

        // The organizer's sales page is public like the admin dashboard; everything it shows comes from the API above.
        // Routing matches "/organizer" with or without the slash; the page's relative links want the slash.
        app.MapGet("/organizer", (IWebHostEnvironment environment, HttpContext context) =>
        {
            if (!context.Request.Path.Value!.EndsWith('/'))
            {
                return Results.Redirect("/organizer/" + context.Request.QueryString);
            }

            context.Response.Headers.CacheControl = "no-cache";
            return Results.File(Path.Combine(environment.ContentRootPath, "Dashboard", "organizer.html"), "text/html; charset=utf-8");
        }).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>The caller's events, drafts included (an admin sees all).</summary>
    public static async Task<Results<Ok<PagedResult<EventSummaryDto>>, ProblemHttpResult>> ListMyEvents(HttpContext context, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = 20) =>
        (await mediator.Send(new ListOwnEvents(context.User.ToActor(), page, pageSize), cancellationToken)).ToOk(context);

    /// <summary>Creates a draft event.</summary>
    public static async Task<Results<Created<EventDetailsDto>, ProblemHttpResult>> CreateMyEvent(EventRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new CreateEvent(context.User.ToActor(), body.Title ?? string.Empty, body.Category ?? string.Empty, body.Venue ?? string.Empty, body.Description), cancellationToken))
        .ToCreated(context, e => $"/api/organizer/events/{e.Id}");

    /// <summary>One of the caller's events.</summary>
    public static async Task<Results<Ok<EventDetailsDto>, ProblemHttpResult>> GetMyEvent(long eventId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetOwnEvent(context.User.ToActor(), eventId), cancellationToken)).ToOk(context);

    /// <summary>Edits the title, category, venue and description.</summary>
    public static async Task<Results<Ok<EventDetailsDto>, ProblemHttpResult>> UpdateMyEvent(long eventId, EventRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new UpdateEvent(context.User.ToActor(), eventId, body.Title ?? string.Empty, body.Category ?? string.Empty, body.Venue ?? string.Empty, body.Description), cancellationToken))
        .ToOk(context);

    /// <summary>Adds a performance with its whole seat map (grades, sections, rows as ranges or explicit seats).</summary>
    public static async Task<Results<Created<PerformanceDto>, ProblemHttpResult>> AddMyPerformance(long eventId, PerformanceRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new AddPerformance(context.User.ToActor(), eventId, body.ToSettings(), body.SeatMap!), cancellationToken))
        .ToCreated(context, p => $"/api/performances/{p.Id}");

    /// <summary>Changes a performance's schedule and selling rules.</summary>
    public static async Task<Results<Ok<PerformanceDto>, ProblemHttpResult>> UpdateMyPerformance(long performanceId, PerformanceSettingsRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new UpdatePerformance(context.User.ToActor(), performanceId, body.ToSettings()), cancellationToken)).ToOk(context);

    /// <summary>
    /// The performance's sales now: seats sold, held and available per grade, revenue, refunds and check-ins (the
    /// organizer's sales page refreshes it every few seconds). Another organizer's performance is 404.
    /// </summary>
    public static async Task<Results<Ok<PerformanceSalesReport>, ProblemHttpResult>> GetMySales(long performanceId, HttpContext context, IMediator mediator, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return (await mediator.Send(new GetPerformanceSales(context.User.ToActor(), performanceId), cancellationToken)).ToOk(context);
    }

    /// <summary>Makes the event and its performances visible to fans.</summary>
    public static async Task<Results<Ok<EventDetailsDto>, ProblemHttpResult>> PublishMyEvent(long eventId, HttpContext context, IMediator mediator, Ticketing.WebApi.SeatMaps.SeatLayoutWarmer warmer, CancellationToken cancellationToken)
    {
        var published = await mediator.Send(new PublishEvent(context.User.ToActor(), eventId), cancellationToken);
        if (published.IsSuccess)
        {
            // The halls are read into memory now, not by the first fan who opens a map.
            warmer.Enqueue(published.Value.Performances.Select(p => p.Id));
        }

        return published.ToOk(context);
    }
}

public sealed record EventRequest(string? Title, string? Category, string? Venue, string? Description);

public record PerformanceSettingsRequest(
    DateTimeOffset StartsAt,
    DateTimeOffset SalesOpenAt,
    DateTimeOffset SalesCloseAt,
    int? HoldSeconds,
    int? MaxSeatsPerOrder,
    int? MaxSeatsPerFan,
    bool RequiresQueuePass,
    string? WaitingRoomId,
    // ---- waitlist (issue 13.1): "Public" (default) or "Waitlist"; offer minutes (default 30) ----
    string? ReturnedSeats = null,
    int? WaitlistOfferMinutes = null)
    // ---- end waitlist ----
{
    public PerformanceSettings ToSettings() =>
        new(StartsAt, SalesOpenAt, SalesCloseAt, HoldSeconds, MaxSeatsPerOrder, MaxSeatsPerFan, RequiresQueuePass, WaitingRoomId,
            ReturnedSeats, WaitlistOfferMinutes) // waitlist (issue 13.1)
        {
            GuestBooking = GuestBooking, // guest booking (issue 13.3)
            MaxTransfersPerTicket = MaxTransfersPerTicket, // transfer (issue 13.4)
        };

    // --- Guest booking (issue 13.3) ---

    /// <summary>Open the performance to guests (booking with a verified phone, without an account). Absent on an update: unchanged.</summary>
    public bool? GuestBooking { get; init; }
    // --- end guest booking ---

    // Transfer (issue 13.4): how many times one ticket may change hands (absent = 1, 0 = transfers off).
    public int? MaxTransfersPerTicket { get; init; }
}

public sealed record PerformanceRequest(
    DateTimeOffset StartsAt,
    DateTimeOffset SalesOpenAt,
    DateTimeOffset SalesCloseAt,
    int? HoldSeconds,
    int? MaxSeatsPerOrder,
    int? MaxSeatsPerFan,
    bool RequiresQueuePass,
    string? WaitingRoomId,
    SeatMapInput? SeatMap,
    // ---- waitlist (issue 13.1) ----
    string? ReturnedSeats = null,
    int? WaitlistOfferMinutes = null)
    : PerformanceSettingsRequest(StartsAt, SalesOpenAt, SalesCloseAt, HoldSeconds, MaxSeatsPerOrder, MaxSeatsPerFan, RequiresQueuePass, WaitingRoomId,
        ReturnedSeats, WaitlistOfferMinutes);
    // ---- end waitlist ----
