using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Application.Waitlist;
using Ticketing.WebApi.Infrastructure;
using Ticketing.WebApi.Waitlist;

namespace Ticketing.WebApi.Endpoints;

/// <summary>
/// The cancellation waitlist (issue 13.1): a signed-in fan joins, reads and leaves a performance's waitlist and
/// listens for offers; the organizer reads its length per grade. An offer is a pending order: it is paid with
/// <c>POST /api/payments/confirm</c> and declined with <c>DELETE /api/orders/{id}</c> like any hold.
/// </summary>
internal static class WaitlistEndpoints
{
    public static IEndpointRouteBuilder MapWaitlistEndpoints(this IEndpointRouteBuilder app)
    {
        var fan = app.MapGroup("/api").WithTags("Waitlist").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        fan.MapPost("/performances/{performanceId:long}/waitlist", JoinWaitlistOfPerformance)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        fan.MapGet("/performances/{performanceId:long}/waitlist/me", GetMyWaitlistEntryOfPerformance)
            .ProducesProblem(StatusCodes.Status404NotFound);
        fan.MapDelete("/performances/{performanceId:long}/waitlist/me", LeaveWaitlistOfPerformance)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        fan.MapGet("/waitlist/stream", WaitlistStream.StreamMyOffers)
            .Produces<string>(StatusCodes.Status200OK, contentType: "text/event-stream");

        app.MapGroup("/api/organizer").WithTags("Organizer")
            .RequireAuthorization(Roles.OrganizerPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .MapGet("/performances/{performanceId:long}/waitlist", GetWaitlistLengthsOfMyPerformance)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>
    /// Joins the performance's waitlist for 1-4 seats (<c>gradeCode</c> absent: any grade; <c>together</c>: side by side
    /// in one row, offered all at once). 201 with the entry and its place; 409 <c>waitlist.already_joined</c> while
    /// waiting, <c>waitlist.closed</c> once the show started.
    /// </summary>
    public static async Task<Results<Created<WaitlistEntryDto>, ProblemHttpResult>> JoinWaitlistOfPerformance(
        long performanceId, WaitlistJoinRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new JoinWaitlist(context.User.UserId(), performanceId, body.GradeCode, body.Seats ?? 1, body.Together ?? false), cancellationToken))
        .ToCreated(context, _ => $"/api/performances/{performanceId}/waitlist/me");

    /// <summary>The caller's waitlist entry: status (waiting, served, left), place in line, and the offers made (pending ones are payable until <c>expiresAt</c>).</summary>
    public static async Task<Results<Ok<WaitlistEntryDto>, ProblemHttpResult>> GetMyWaitlistEntryOfPerformance(
        long performanceId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetMyWaitlistEntry(context.User.UserId(), performanceId), cancellationToken)).ToOk(context);

    /// <summary>Leaves the waitlist; offers already made stay payable until their deadline.</summary>
    public static async Task<Results<Ok<WaitlistEntryDto>, ProblemHttpResult>> LeaveWaitlistOfPerformance(
        long performanceId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new LeaveWaitlist(context.User.UserId(), performanceId), cancellationToken)).ToOk(context);

    /// <summary>The performance's waitlist: fans and seats wanted per grade, open offers, and its returned-seats rule.</summary>
    public static async Task<Results<Ok<WaitlistLengthsDto>, ProblemHttpResult>> GetWaitlistLengthsOfMyPerformance(
        long performanceId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWaitlistLengths(context.User.ToActor(), performanceId), cancellationToken)).ToOk(context);
}

/// <param name="GradeCode">One grade of the performance, or absent for any grade.</param>
/// <param name="Seats">1 to 4 (default 1).</param>
/// <param name="Together">Seats side by side in one row (default false).</param>
public sealed record WaitlistJoinRequest(string? GradeCode, int? Seats, bool? Together);
