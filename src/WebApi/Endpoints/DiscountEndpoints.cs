using System.Threading.RateLimiting;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Ticketing.Application.Discounts;
using Ticketing.Application.Orders;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>
/// Discounts and coupons (issue 13.2): the organizer defines them per performance; the fan chooses one per seat of a
/// pending hold, and the server prices the order.
/// </summary>
internal static class DiscountEndpoints
{
    /// <summary>Per fan: the price step reads and writes a few times per order; a coupon code cannot be tried at speed.</summary>
    public const string DiscountRateLimit = "discounts";

    public static IServiceCollection AddDiscountRateLimit(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(DiscountRateLimit, context => RateLimitPartition.GetTokenBucketLimiter(
            context.User.Identity?.IsAuthenticated == true ? context.User.UserId().ToString() : context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, configuration.GetValue("RateLimits:DiscountBurst", 30)),
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(60.0 / Math.Max(1, configuration.GetValue("RateLimits:DiscountsPerMinute", 30))),
                QueueLimit = 0,
            })));

    public static IEndpointRouteBuilder MapDiscountEndpoints(this IEndpointRouteBuilder app)
    {
        var organizer = app.MapGroup("/api/organizer").WithTags("Organizer")
            .RequireAuthorization(Roles.OrganizerPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        organizer.MapGet("/performances/{performanceId:long}/discounts", ListMyDiscounts).ProducesProblem(StatusCodes.Status404NotFound);
        organizer.MapPost("/performances/{performanceId:long}/discounts", CreateMyDiscount)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        organizer.MapPut("/discounts/{discountId:long}", UpdateMyDiscount)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var orders = app.MapGroup("/api").WithTags("Orders").RequireAuthorization()
            .RequireRateLimiting(DiscountRateLimit)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        orders.MapGet("/orders/{orderId}/discounts", GetMyOrderDiscounts)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapPut("/orders/{orderId}/discounts", ApplyMyOrderDiscounts)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>The discounts and coupons (with their codes) of one of the caller's performances, and how many seats carry each now.</summary>
    public static async Task<Results<Ok<IReadOnlyList<DiscountDto>>, ProblemHttpResult>> ListMyDiscounts(long performanceId, HttpContext context, IMediator mediator, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return (await mediator.Send(new ListDiscounts(context.User.ToActor(), performanceId), cancellationToken)).ToOk(context);
    }

    /// <summary>
    /// Adds a discount: <c>kind</c> percent (value 1–99) or amount (won off), for one <c>grade</c> or all, with an optional
    /// <c>quantityLimit</c> (seats), window (<c>startsAt</c>, <c>endsAt</c>) and <c>rule</c> shown to fans. A <c>couponCode</c>
    /// (or <c>generateCode: true</c>) makes it a coupon that only fans with the code see; its limit is its number of uses.
    /// </summary>
    public static async Task<Results<Created<DiscountDto>, ProblemHttpResult>> CreateMyDiscount(long performanceId, DiscountInput body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new CreateDiscount(context.User.ToActor(), performanceId, body), cancellationToken))
        .ToCreated(context, d => $"/api/organizer/performances/{d.PerformanceId}/discounts");

    /// <summary>Changes a discount's terms, or closes it with <c>active: false</c>. Seats that already carry it keep their price.</summary>
    public static async Task<Results<Ok<DiscountDto>, ProblemHttpResult>> UpdateMyDiscount(long discountId, DiscountInput body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new UpdateDiscount(context.User.ToActor(), discountId, body), cancellationToken)).ToOk(context);

    /// <summary>
    /// The price step of a pending hold: each seat's face price, its price now and the discounts it may take (with
    /// their price); <c>coupon</c> adds the coupon of that code (400 <c>coupon.invalid</c> otherwise). Anyone else's order is 404.
    /// </summary>
    public static async Task<Results<Ok<OrderDiscountsDto>, ProblemHttpResult>> GetMyOrderDiscounts(string orderId, HttpContext context, IMediator mediator, CancellationToken cancellationToken, string? coupon = null) =>
        OrderMapping.TryParseNumber(orderId, out var id)
            ? (await mediator.Send(new GetOrderDiscounts(context.User.UserId(), id, coupon), cancellationToken)).ToOk(context)
            : NotFound(context);

    /// <summary>
    /// Chooses a discount (or none: <c>discountId</c> null) per seat of a pending hold, with at most one <c>coupon</c> code;
    /// seats not listed go back to the grade's price. Answers the new prices and the total the payment must carry.
    /// 409 <c>discount.sold_out</c> when a limited discount has too few seats left, <c>order.not_discountable</c> once the
    /// hold is paid, paying or over.
    /// </summary>
    public static async Task<Results<Ok<OrderDiscountsDto>, ProblemHttpResult>> ApplyMyOrderDiscounts(string orderId, OrderDiscountsRequest body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        OrderMapping.TryParseNumber(orderId, out var id)
            ? (await mediator.Send(new ApplyOrderDiscounts(context.User.UserId(), id, body.Coupon, body.Seats), cancellationToken)).ToOk(context)
            : NotFound(context);

    private static ProblemHttpResult NotFound(HttpContext context) =>
        Ticketing.Application.Common.Error.NotFound("order.not_found", "You have no order with this id.").ToProblem(context);
}

/// <summary>The fan's choice for the seats of an order: per seat a discount id or null, and at most one coupon code.</summary>
public sealed record OrderDiscountsRequest(string? Coupon, IReadOnlyList<DiscountChoice>? Seats);
