using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;
using Ticketing.Application.Events;
using Ticketing.Application.Payments;
using Ticketing.Application.Tickets;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>A fan's tickets with their signed QR codes, and check-in at the entrance for organizer staff.</summary>
internal static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        var fans = app.MapGroup("/api").WithTags("Tickets").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        fans.MapGet("/tickets/{ticketId}", GetMyTicket).ProducesProblem(StatusCodes.Status404NotFound);
        fans.MapGet("/tickets/{ticketId}/qr", GetMyTicketQr).Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound);
        fans.MapGet("/me/tickets", ListTicketsOfMe).ProducesValidationProblem();

        app.MapPost("/api/organizer/check-ins", CheckInTicketAtEntrance)
            .WithTags("Organizer")
            .RequireAuthorization(Roles.OrganizerPolicy)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>One of the caller's tickets with its QR content (signed; scanners check it offline).</summary>
    public static async Task<Results<Ok<TicketDetailsDto>, ProblemHttpResult>> GetMyTicket(string ticketId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        Guid.TryParse(ticketId, out var id)
            ? (await mediator.Send(new GetTicket(context.User.UserId(), id), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>The ticket's QR code as a PNG image.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetMyTicketQr(string ticketId, HttpContext context, IMediator mediator, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(ticketId, out var id))
        {
            return NotFound(context);
        }

        var result = await mediator.Send(new GetTicket(context.User.UserId(), id), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem(context);
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(result.Value.QrContent, QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(8);
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(png, "image/png");
    }

    /// <summary>The caller's tickets, newest first.</summary>
    public static async Task<Results<Ok<PagedResult<TicketDto>>, ProblemHttpResult>> ListTicketsOfMe(HttpContext context, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = 20) =>
        (await mediator.Send(new ListMyTickets(context.User.UserId(), page, pageSize), cancellationToken)).ToOk(context);

    /// <summary>
    /// Admits a ticket at the entrance (organizer of its event, or admin). 200 once; 409 on a second scan or a voided
    /// ticket; 400 for a forged or malformed code.
    /// </summary>
    public static async Task<Results<Ok<CheckInDto>, ProblemHttpResult>> CheckInTicketAtEntrance(CheckInRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new CheckInTicket(context.User.ToActor(), body.QrContent), cancellationToken)).ToOk(context);

    private static ProblemHttpResult NotFound(HttpContext context) =>
        Ticketing.Application.Common.Error.NotFound("ticket.not_found", "You have no ticket with this id.").ToProblem(context);
}

public sealed record CheckInRequest(string? QrContent);
