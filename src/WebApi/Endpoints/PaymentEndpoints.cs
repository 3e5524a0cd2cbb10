using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Ticketing.Application.Orders;
using Ticketing.Application.Payments;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>Payment confirmation (Toss-style) and, with the simulated provider, a stand-in for the payment widget.</summary>
internal static class PaymentEndpoints
{
    public const string ConfirmRateLimit = "payments.confirm";

    public static IEndpointRouteBuilder MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/payments").WithTags("Payments").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/confirm", ConfirmMyPayment)
            .RequireRateLimiting(ConfirmRateLimit)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/simulated/checkout", StartMySimulatedCheckout)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// Confirms the payment the widget authorized. 200 with the tickets when paid; 202 while the outcome is being
    /// established (the order is <c>paymentPending</c>, its seats held); 402 with <c>tossCode</c> when declined (the
    /// order stays payable until its deadline). An optional <c>Idempotency-Key</c> header replays the first answer.
    /// </summary>
    public static async Task<Results<Ok<PaymentResultDto>, Accepted<PaymentResultDto>, ProblemHttpResult>> ConfirmMyPayment(
        ConfirmPaymentRequest body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext context,
        IMediator mediator,
        CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ConfirmPayment(context.User.UserId(), body.PaymentKey, body.OrderId, body.Amount, idempotencyKey), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem(context);
        }

        return result.Value.Status == "paid"
            ? TypedResults.Ok(result.Value)
            : TypedResults.Accepted($"/api/orders/{result.Value.OrderId}", result.Value);
    }

    /// <summary>
    /// Simulated provider only: authorizes a payment for the caller's pending order and returns its paymentKey.
    /// <c>outcome</c> (<c>approve</c>, <c>decline</c>, <c>unknown</c>) picks what its confirmation will answer.
    /// </summary>
    public static async Task<Results<Ok<SimulatedCheckoutDto>, ProblemHttpResult>> StartMySimulatedCheckout(
        SimulatedCheckoutRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        OrderMapping.TryParseNumber(body.OrderId, out var id)
            ? (await mediator.Send(new StartSimulatedCheckout(context.User.UserId(), id, body.Outcome), cancellationToken)).ToOk(context)
            : Ticketing.Application.Common.Error.NotFound("order.not_found", "You have no order with this id.").ToProblem(context);
}

public sealed record ConfirmPaymentRequest(string? PaymentKey, string? OrderId, long? Amount);

public sealed record SimulatedCheckoutRequest(string? OrderId, string? Outcome = null);
