using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Application.Payments;
using Ticketing.Application.Transfers;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>
/// Face-value ticket transfer (issue 13.4): the holder offers a ticket to another account by email, free or for at most
/// the price paid; the recipient accepts (free) or pays through the same Toss confirm as orders; the sender may cancel
/// until then. Only the sender and the recipient see a transfer; anyone else gets 404.
/// </summary>
internal static class TransferEndpoints
{
    public static IEndpointRouteBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Transfers").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/tickets/{ticketId}/transfers", OfferMyTicket)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/me/transfers", ListMyTransfers);
        group.MapGet("/transfers/{transferId}", GetMyTransfer).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/transfers/{transferId}/cancellation", CancelMyTransfer)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/transfers/{transferId}/acceptance", AcceptTransferToMe)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/transfers/{transferId}/payment", PayForTransferToMe)
            .RequireRateLimiting(PaymentEndpoints.ConfirmRateLimit)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/transfers/{transferId}/simulated/checkout", StartMyTransferSimulatedCheckout)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// Offers one of the caller's valid tickets to the account with <c>recipientEmail</c>, for <c>price</c> won (0 = free,
    /// at most what was paid for the seat). While the offer is open the ticket admits nobody and cannot be refunded.
    /// 400 above face value; 409 when checked in, being refunded, already offered, past the limit or after the start.
    /// </summary>
    public static async Task<Results<Created<TicketTransferDto>, ProblemHttpResult>> OfferMyTicket(string ticketId, TransferOfferRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        Guid.TryParse(ticketId, out var id)
            ? (await mediator.Send(new OfferTicketTransfer(context.User.UserId(), id, body.RecipientEmail, body.Price), cancellationToken))
                .ToCreated(context, t => $"/api/transfers/{t.Id}")
            : Ticketing.Application.Common.Error.NotFound("ticket.not_found", "You have no ticket with this id.").ToProblem(context);

    /// <summary>The caller's transfers: offers made to their email (<c>received</c>) and offers they made (<c>sent</c>), newest first.</summary>
    public static async Task<Results<Ok<MyTransfersDto>, ProblemHttpResult>> ListMyTransfers(HttpContext context, IMediator mediator, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return (await mediator.Send(new GetMyTransfers(context.User.UserId()), cancellationToken)).ToOk(context);
    }

    /// <summary>One transfer, for its sender or recipient.</summary>
    public static async Task<Results<Ok<TicketTransferDto>, ProblemHttpResult>> GetMyTransfer(string transferId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        Guid.TryParse(transferId, out var id)
            ? (await mediator.Send(new GetTicketTransfer(context.User.UserId(), id), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>The sender withdraws the offer until it is accepted (409 once accepted or while the recipient's payment runs).</summary>
    public static async Task<Results<Ok<TicketTransferDto>, ProblemHttpResult>> CancelMyTransfer(string transferId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        Guid.TryParse(transferId, out var id)
            ? (await mediator.Send(new CancelTicketTransfer(context.User.UserId(), id), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>The recipient takes a free offer: the ticket is re-issued to them with a new QR code; the sender's code stops working.</summary>
    public static async Task<Results<Ok<TicketTransferDto>, ProblemHttpResult>> AcceptTransferToMe(string transferId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        Guid.TryParse(transferId, out var id)
            ? (await mediator.Send(new AcceptTicketTransfer(context.User.UserId(), id), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>
    /// The recipient confirms the payment the widget authorized for a priced offer (<c>orderId</c> = the transfer's
    /// <c>orderId</c>, <c>amount</c> = its price). 200 <c>accepted</c>; 202 <c>paymentPending</c> while the outcome is
    /// established (reconciliation settles it); 402 with <c>tossCode</c> when declined (the offer stays open).
    /// </summary>
    public static async Task<Results<Ok<TicketTransferDto>, Accepted<TicketTransferDto>, ProblemHttpResult>> PayForTransferToMe(
        string transferId, TransferPaymentRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(transferId, out var id))
        {
            return NotFound(context);
        }

        var result = await mediator.Send(new PayForTicketTransfer(context.User.UserId(), id, body.PaymentKey, body.OrderId, body.Amount), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem(context);
        }

        return result.Value.Status == "accepted"
            ? TypedResults.Ok(result.Value)
            : TypedResults.Accepted($"/api/transfers/{result.Value.Id}", result.Value);
    }

    /// <summary>Simulated provider only: authorizes the recipient's payment for a priced offer and returns its paymentKey.</summary>
    public static async Task<Results<Ok<SimulatedCheckoutDto>, ProblemHttpResult>> StartMyTransferSimulatedCheckout(
        string transferId, TransferCheckoutRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        Guid.TryParse(transferId, out var id)
            ? (await mediator.Send(new StartTransferSimulatedCheckout(context.User.UserId(), id, body.Outcome), cancellationToken)).ToOk(context)
            : NotFound(context);

    private static ProblemHttpResult NotFound(HttpContext context) =>
        Ticketing.Application.Common.Error.NotFound("transfer.not_found", "You have no transfer with this id.").ToProblem(context);
}

public sealed record TransferOfferRequest(string? RecipientEmail, long? Price);

public sealed record TransferPaymentRequest(string? PaymentKey, string? OrderId, long? Amount);

public sealed record TransferCheckoutRequest(string? Outcome = null);
