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
/// </summary>
public sealed record StartSimulatedCheckout(Guid FanId, Guid OrderId) : IRequest<Result<SimulatedCheckoutDto>>;

public sealed record SimulatedCheckoutDto(string PaymentKey, string OrderId, long Amount);

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

        var key = simulator.Authorize(order.Number, order.TotalAmount, $"Order {order.Number}");
        return new SimulatedCheckoutDto(key, order.Number, order.TotalAmount);
    }
}
