using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Payments;
using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Transfers;

/// <summary>
/// The recipient of a priced offer confirms the payment the widget authorized (the same Toss confirm as an order's, with
/// the transfer's id as <c>orderId</c> and its price as <c>amount</c>). The transfer goes PaymentPending before the
/// provider is called, so a cancel or the expiry cannot race an open payment; approved → the ticket changes hands and
/// the sender is paid back; declined → the offer is open again; unknown → reconciliation settles it. The same paymentKey
/// again gets the first answer without a second call to the provider.
/// </summary>
public sealed record PayForTicketTransfer(Guid FanId, Guid TransferId, string? PaymentKey, string? OrderId, long? Amount) : IRequest<Result<TicketTransferDto>>;

public sealed class PayForTicketTransferValidator : AbstractValidator<PayForTicketTransfer>
{
    public PayForTicketTransferValidator()
    {
        RuleFor(x => x.PaymentKey).NotEmpty().MaximumLength(TicketTransfer.MaxPaymentKeyLength);
        RuleFor(x => x.OrderId).NotEmpty().Matches("^[A-Za-z0-9_-]{6,64}$").WithMessage("The orderId is 6 to 64 letters, digits, '-' or '_'.");
        RuleFor(x => x.Amount).NotNull().GreaterThan(0);
    }
}

public sealed partial class PayForTicketTransferHandler(
    IAppDbContext db,
    IPaymentGateway gateway,
    TransferCompletion completion,
    TimeProvider clock,
    IOptions<PaymentPolicy> policy,
    ILogger<PayForTicketTransferHandler> logger) : IRequestHandler<PayForTicketTransfer, Result<TicketTransferDto>>
{
    public async Task<Result<TicketTransferDto>> Handle(PayForTicketTransfer request, CancellationToken cancellationToken)
    {
        var transfer = await TransferAccess.LoadReceivedAsync(db, request.FanId, request.TransferId, cancellationToken);
        if (transfer is null || !string.Equals(request.OrderId, transfer.Number, StringComparison.OrdinalIgnoreCase))
        {
            return TransferAccess.NotFound;
        }

        var paymentKey = request.PaymentKey!;
        if (transfer.PaymentKey == paymentKey && transfer.Status is TicketTransferStatus.Accepted or TicketTransferStatus.PaymentPending)
        {
            // The same payment again: what we know, without asking the provider a second time.
            return await TransferAccess.ToDtoAsync(db, transfer, request.FanId, cancellationToken);
        }

        if (request.Amount != transfer.Price)
        {
            return Error.Validation("payment.amount_mismatch", "The amount does not match the transfer's price.", new Dictionary<string, string[]>
            {
                ["amount"] = [$"The transfer costs {transfer.Price}."],
            });
        }

        var now = clock.GetUtcNow();
        try
        {
            transfer.BeginPayment(request.FanId, paymentKey, now, now + policy.Value.CheckAfter);
        }
        catch (DomainException ex)
        {
            return TransferAccess.ToError(ex);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The sender cancelled, the offer lapsed, or another payment started a moment before. Nothing was charged.
            return TransferAccess.Changed;
        }

        // From here on the caller leaving must not abandon a payment half-way.
        var outcome = await gateway.ConfirmAsync(paymentKey, transfer.Number, transfer.Price, CancellationToken.None);
        LogOutcome(logger, transfer.Id, outcome.Kind.ToString(), outcome.Code ?? "-");
        switch (outcome.Kind)
        {
            case GatewayOutcomeKind.Approved:
            {
                var completed = await completion.CompleteAsync(transfer, outcome.Payment!, CancellationToken.None);
                return completed.IsSuccess
                    ? await TransferAccess.ToDtoAsync(db, completed.Value, request.FanId, CancellationToken.None)
                    : completed.Error!;
            }

            case GatewayOutcomeKind.Unknown:
                return await TransferAccess.ToDtoAsync(db, transfer, request.FanId, CancellationToken.None);

            default:
            {
                transfer.PaymentDeclined(clock.GetUtcNow());
                await db.SaveChangesAsync(CancellationToken.None);
                var code = outcome.Code ?? outcome.Payment?.Status ?? "DECLINED";
                return new Error(ErrorKind.PaymentRequired, "payment.declined", outcome.Message ?? "The payment was declined. Nothing was charged; you may try another card.")
                {
                    Data = new Dictionary<string, object?> { ["tossCode"] = code, ["orderId"] = transfer.Number },
                };
            }
        }
    }

    [LoggerMessage(EventId = 4610, Level = LogLevel.Information, Message = "Transfer {TransferId}: confirmation answered {Outcome} ({Code})")]
    private static partial void LogOutcome(ILogger logger, Guid transferId, string outcome, string code);
}
