using FluentValidation;
using MediatR;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Transfers;

/// <summary>
/// With the simulated provider: stands in for the payment widget for a priced offer made to the caller, and returns what
/// its success redirect would carry (paymentKey, orderId = the transfer's id, amount = its price). <paramref name="Outcome"/>
/// picks the confirmation's answer as for orders (<c>approve</c>, <c>decline</c>, <c>unknown</c>).
/// </summary>
public sealed record StartTransferSimulatedCheckout(Guid FanId, Guid TransferId, string? Outcome = null) : IRequest<Result<SimulatedCheckoutDto>>;

public sealed class StartTransferSimulatedCheckoutValidator : AbstractValidator<StartTransferSimulatedCheckout>
{
    public StartTransferSimulatedCheckoutValidator()
    {
        RuleFor(x => x.Outcome).Must(o => o is null || SimulatedOutcomes.All.Contains(o))
            .WithMessage("The outcome is approve, decline or unknown.").OverridePropertyName("outcome");
    }
}

public sealed class StartTransferSimulatedCheckoutHandler(IAppDbContext db, IEnumerable<ISimulatedCheckout> simulators, TimeProvider clock)
    : IRequestHandler<StartTransferSimulatedCheckout, Result<SimulatedCheckoutDto>>
{
    public async Task<Result<SimulatedCheckoutDto>> Handle(StartTransferSimulatedCheckout request, CancellationToken cancellationToken)
    {
        var simulator = simulators.FirstOrDefault();
        if (simulator is null)
        {
            return Error.NotFound("payments.simulator_off", "The simulated payment provider is not enabled.");
        }

        var transfer = await TransferAccess.LoadReceivedAsync(db, request.FanId, request.TransferId, cancellationToken);
        if (transfer is null)
        {
            return TransferAccess.NotFound;
        }

        if (transfer.Status != TicketTransferStatus.Offered || clock.GetUtcNow() >= transfer.ExpiresAt)
        {
            return Error.Conflict("transfer.not_payable", "Only an open offer can be paid.");
        }

        if (transfer.Price == 0)
        {
            return Error.Conflict("transfer.free", "This transfer is free; accept it without a payment.");
        }

        var key = simulator.Authorize(transfer.Number, transfer.Price, $"Ticket transfer {transfer.SeatLabel}", SimulatedOutcomes.TestCodeOf(request.Outcome));
        return new SimulatedCheckoutDto(key, transfer.Number, transfer.Price);
    }
}
