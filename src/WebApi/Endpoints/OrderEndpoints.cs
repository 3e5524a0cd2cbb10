using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Application.Events;
using Ticketing.Application.Orders;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>A fan's holds and orders. Every order endpoint answers only to the order's owner.</summary>
internal static class OrderEndpoints
{
    public const string HoldRateLimit = "holds";

    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/performances/{performanceId:long}/holds", HoldSeatsOfPerformance)
            .WithTags("Orders")
            .RequireAuthorization()
            .RequireRateLimiting(HoldRateLimit)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapPost("/api/performances/{performanceId:long}/holds/together", HoldSeatsTogetherOfPerformance)
            .WithTags("Orders")
            .RequireAuthorization()
            .RequireRateLimiting(HoldRateLimit)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var orders = app.MapGroup("/api").WithTags("Orders").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        orders.MapGet("/orders/{orderId}", GetMyOrder).ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapDelete("/orders/{orderId}", CancelMyOrder).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapGet("/me/orders", ListOrdersOfMe).ProducesValidationProblem();
        orders.MapGet("/orders/{orderId}/cancellation", QuoteCancellationOfMyOrder)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/orders/{orderId}/cancellation", CancelMyPaidOrder)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>
    /// Holds every requested seat or none. 201 with the pending order and its deadline; 409 lists the seats that
    /// were taken; 503 with Retry-After when the seat lock store is unreachable (nothing is held then). The 409, the
    /// answer most fans get in an on-sale, is written by <see cref="SeatsTakenProblem"/>.
    /// </summary>
    public static async Task<Results<Created<OrderDto>, ProblemHttpResult, SeatsTakenProblem>> HoldSeatsOfPerformance(
        long performanceId, HoldRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new HoldSeats(context.User.UserId(), performanceId, body.SeatIds, AccessPassOf(context)), cancellationToken);
        if (result.IsSuccess)
        {
            return TypedResults.Created($"/api/orders/{result.Value.Id}", result.Value);
        }

        return SeatsTakenProblem.For(result.Error!, context) is { } taken ? taken : result.Error!.ToProblem(context);
    }

    /// <summary>
    /// Holds the best <c>count</c> free seats side by side in one row of the grade (front rows first, then nearest the
    /// row's middle), all or none. Answers like a hold; 409 <c>seats.not_together</c> when no such seats are free.
    /// </summary>
    public static async Task<Results<Created<OrderDto>, ProblemHttpResult>> HoldSeatsTogetherOfPerformance(
        long performanceId, HoldTogetherRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new HoldSeatsTogether(context.User.UserId(), performanceId, body.GradeCode, body.Count ?? 0, AccessPassOf(context)), cancellationToken))
        .ToCreated(context, o => $"/api/orders/{o.Id}");

    /// <summary>The waiting room's pass: the <c>X-Access-Pass</c> header, or the <c>access_pass</c> cookie.</summary>
    public static string? AccessPassOf(HttpContext context) =>
        context.Request.Headers.TryGetValue(AccessPassHeader, out var header) && !string.IsNullOrEmpty(header)
            ? header.ToString()
            : context.Request.Cookies[AccessPassCookie];

    public const string AccessPassHeader = "X-Access-Pass";
    public const string AccessPassCookie = "access_pass";

    /// <summary>One of the caller's orders; anyone else's answers 404.</summary>
    public static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> GetMyOrder(string orderId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        OrderMapping.TryParseNumber(orderId, out var id)
            ? (await mediator.Send(new GetOrder(context.User.UserId(), id), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>Cancels a pending hold; its seats are free at once.</summary>
    public static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> CancelMyOrder(string orderId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        OrderMapping.TryParseNumber(orderId, out var id)
            ? (await mediator.Send(new CancelOrder(context.User.UserId(), id), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>
    /// Cancels seats of a paid order (all when <c>seatIds</c> is absent) before the performance's cancellation deadline;
    /// refunds their prices less the fee of the order's schedule, voids their tickets and returns the seats to sale.
    /// </summary>
    public static async Task<Results<Ok<Ticketing.Application.Payments.RefundDto>, ProblemHttpResult>> CancelMyPaidOrder(
        string orderId, CancellationRequest? body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        OrderMapping.TryParseNumber(orderId, out var id)
            ? (await mediator.Send(new Ticketing.Application.Payments.CancelPaidOrder(context.User.UserId(), id, body?.SeatIds), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>
    /// What cancelling seats of a paid order (all when <c>seatIds</c> is absent) would refund now, and the fee: read it
    /// before agreeing; nothing changes. 409 after the cancellation deadline or for seats not live in the order.
    /// </summary>
    public static async Task<Results<Ok<Ticketing.Application.Payments.CancellationQuoteDto>, ProblemHttpResult>> QuoteCancellationOfMyOrder(
        string orderId, HttpContext context, IMediator mediator, CancellationToken cancellationToken, long[]? seatIds = null) =>
        OrderMapping.TryParseNumber(orderId, out var id)
            ? (await mediator.Send(new Ticketing.Application.Payments.QuoteCancellation(context.User.UserId(), id, seatIds), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>The caller's orders, newest first.</summary>
    public static async Task<Results<Ok<PagedResult<OrderDto>>, ProblemHttpResult>> ListOrdersOfMe(HttpContext context, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = 20) =>
        (await mediator.Send(new ListMyOrders(context.User.UserId(), page, pageSize), cancellationToken)).ToOk(context);

    private static ProblemHttpResult NotFound(HttpContext context) =>
        Ticketing.Application.Common.Error.NotFound("order.not_found", "You have no order with this id.").ToProblem(context);
}

public sealed record HoldRequest(IReadOnlyList<long>? SeatIds);

public sealed record HoldTogetherRequest(string? GradeCode, int? Count);

public sealed record CancellationRequest(IReadOnlyList<long>? SeatIds);
