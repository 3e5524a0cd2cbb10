using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Payments;

/// <summary>
/// Stands in for the Toss payment widget when the simulated provider is on: authorizes a payment for the caller's
/// pending order and returns what the widget's success redirect would carry (paymentKey, orderId, amount).
/// <paramref name="Outcome"/> picks what the confirmation will answer, so that every state of a payment can be tried:
/// <c>approve</c> (default), <c>decline</c> (the card company refuses: 402) or <c>unknown</c> (the provider keeps
/// failing: 202 and reconciliation).
/// </summary>
public sealed record StartSimulatedCheckout(Guid FanId, Guid OrderId, string? Outcome = null) : IRequest<Result<SimulatedCheckoutDto>>;

public sealed record SimulatedCheckoutDto(string PaymentKey, string OrderId, long Amount);

/// <summary>The outcomes a simulated checkout can ask for, and the Toss error code each makes the confirmation answer.</summary>
public static class SimulatedOutcomes
{
    public const string Approve = "approve";
    public const string Decline = "decline";
    public const string Unknown = "unknown";

    /// <summary>Toss's refusal by the card company (final, 403).</summary>
    public const string DeclineCode = "REJECT_CARD_COMPANY";

    /// <summary>Toss's internal error (500, transient: retried, then the outcome stays unknown).</summary>
    public const string UnknownCode = "FAILED_INTERNAL_SYSTEM_PROCESSING";

    public static readonly IReadOnlyList<string> All = [Approve, Decline, Unknown];

    public static string? TestCodeOf(string? outcome) => outcome switch
    {
        Decline => DeclineCode,
        Unknown => UnknownCode,
        _ => null,
    };
}

public sealed class StartSimulatedCheckoutValidator : AbstractValidator<StartSimulatedCheckout>
{
    public StartSimulatedCheckoutValidator()
    {
        RuleFor(x => x.Outcome).Must(o => o is null || SimulatedOutcomes.All.Contains(o))
            .WithMessage("The outcome is approve, decline or unknown.").OverridePropertyName("outcome");
    }
}

public sealed class StartSimulatedCheckoutHandler(IAppDbContext db, IEnumerable<ISimulatedCheckout> simulators, TimeProvider clock)
    : IRequestHandler<StartSimulatedCheckout, Result<SimulatedCheckoutDto>>
{
    public async Task<Result<SimulatedCheckoutDto>> Handle(StartSimulatedCheckout request, CancellationToken cancellationToken)
    {
        var simulator = simulators.FirstOrDefault();
        if (simulator is null)
        {
            return Error.NotFound("payments.simulator_off", "The simulated payment provider is not enabled.");
        }

        var order = await db.Orders.AsNoTracking()
            .SingleOrDefaultAsync(o => o.Id == request.OrderId && o.FanId == request.FanId, cancellationToken);
        if (order is null)
        {
            return OrderErrors.NotFound;
        }

        if (order.Status != OrderStatus.Pending || clock.GetUtcNow() >= order.ExpiresAt)
        {
            return Error.Conflict("order.not_payable", "Only a pending hold can be paid.");
        }

        var key = simulator.Authorize(order.Number, order.TotalAmount, $"Order {order.Number}", SimulatedOutcomes.TestCodeOf(request.Outcome));
        return new SimulatedCheckoutDto(key, order.Number, order.TotalAmount);
    }
}
