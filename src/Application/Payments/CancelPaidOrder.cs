using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Payments;

/// <summary>
/// A fan cancels seats of a paid order (all when <paramref name="SeatIds"/> is empty) before the cancellation
/// deadline, for a refund of their prices less the fee the order's snapshotted schedule sets for now. The refund
/// is a (partial, with <c>cancelAmount</c>) cancel at Toss; then the tickets are voided and the seats return to sale.
/// </summary>
public sealed record CancelPaidOrder(Guid FanId, Guid OrderId, IReadOnlyList<long>? SeatIds) : IRequest<Result<RefundDto>>;

public sealed record RefundDto(Guid RefundId, string OrderId, string OrderStatus, IReadOnlyList<long> SeatIds, long GrossAmount, long FeeAmount, long RefundAmount, string Status);

public sealed class CancelPaidOrderValidator : AbstractValidator<CancelPaidOrder>
{
    public CancelPaidOrderValidator()
    {
        When(x => x.SeatIds is { Count: > 0 }, () =>
        {
            RuleFor(x => x.SeatIds!.Count).LessThanOrEqualTo(Domain.Catalog.PerformanceRules.MaxSeatsPerOrderLimit).OverridePropertyName("seatIds");
            RuleFor(x => x.SeatIds).Must(ids => ids!.All(id => id > 0)).WithMessage("Seat ids are positive numbers.")
                .Must(ids => ids!.Distinct().Count() == ids!.Count).WithMessage("A seat is named twice.");
        });
    }
}

public sealed partial class CancelPaidOrderHandler(
    IAppDbContext db,
    IPaymentGateway gateway,
    ISeatLock seatLock,
    TimeProvider clock,
    ILogger<CancelPaidOrderHandler> logger) : IRequestHandler<CancelPaidOrder, Result<RefundDto>>
{
    public async Task<Result<RefundDto>> Handle(CancelPaidOrder request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == request.OrderId && o.FanId == request.FanId, cancellationToken);
        if (order is null)
        {
            return OrderErrors.NotFound;
        }

        if (order.Status != OrderStatus.Paid)
        {
            return Error.Conflict("order.not_refundable", $"The order is {order.Status.StatusName()}; only a paid order can be cancelled for a refund.");
        }

        var seatIds = request.SeatIds is { Count: > 0 } ids
            ? ids.Order().ToList()
            : order.Lines.Where(l => l.IsLive).Select(l => l.SeatId).Order().ToList();
        var tickets = await db.Tickets.Where(t => t.OrderId == order.Id && seatIds.Contains(t.SeatId) && t.Status != TicketStatus.Voided).ToListAsync(cancellationToken);
        if (tickets.Any(t => t.Status == TicketStatus.CheckedIn))
        {
            return Error.Conflict("ticket.already_checked_in", "A ticket that was used at the entrance cannot be refunded.");
        }

        var now = clock.GetUtcNow();
        var key = string.Join(',', seatIds);
        var open = await db.Refunds.Where(r => r.OrderId == order.Id && r.Status == RefundStatus.Requested).ToListAsync(cancellationToken);
        if (open.Any(r => r.SeatIds != key))
        {
            return Error.Conflict("refund.in_progress", "Another cancellation of this order is being processed; try again shortly.");
        }

        // Retrying the same cancellation resumes its refund (same Toss idempotency key) instead of refunding twice.
        var refund = open.SingleOrDefault();
        if (refund is null)
        {
            (long Gross, long Fee) quote;
            try
            {
                quote = order.QuoteRefund(seatIds, now);
            }
            catch (Domain.Common.DomainException ex)
            {
                return Error.Conflict(ex.Code, ex.Message);
            }

            refund = Refund.Request(order.Id, seatIds, quote.Gross, quote.Fee, now);
            db.Refunds.Add(refund);
            order.RefundRequested(now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Error.Conflict("refund.in_progress", "Another cancellation of this order is being processed; try again shortly.");
            }
        }

        var payment = await db.Payments.SingleAsync(p => p.OrderId == order.Id, cancellationToken);
        var whole = refund.Amount == payment.BalanceAmount;
        var outcome = refund.Amount == 0
            ? new GatewayOutcome(GatewayOutcomeKind.Cancelled)
            : await gateway.CancelAsync(payment.PaymentKey, refund.Id.ToString("N"), "Cancelled by the fan", whole ? null : refund.Amount, CancellationToken.None);
        now = clock.GetUtcNow();
        switch (outcome.Kind)
        {
            case GatewayOutcomeKind.Cancelled:
                break;
            case GatewayOutcomeKind.Refused:
                refund.Fail(now);
                await db.SaveChangesAsync(CancellationToken.None);
                return new Error(ErrorKind.Conflict, "refund.refused", outcome.Message ?? "The payment provider refused the refund.")
                {
                    Data = new Dictionary<string, object?> { ["tossCode"] = outcome.Code },
                };
            default:
                return Error.Unavailable("refund.pending", "The refund could not be confirmed yet; send the same cancellation again to resume it.", TimeSpan.FromSeconds(10));
        }

        order.SeatsRefunded(seatIds, refund.Amount, now);
        foreach (var ticket in tickets)
        {
            ticket.Void(now);
        }

        if (refund.Amount > 0)
        {
            payment.Refunded(refund.Amount, "Cancelled by the fan", now);
        }

        refund.Complete(now);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A concurrent repeat of this cancellation resumed the same refund (same Toss key, one refund) and
            // recorded it first.
            return Error.Conflict("refund.in_progress", "This cancellation was just completed by another request; read the order again.");
        }
        LogRefunded(logger, order.Id, seatIds.Count, refund.Amount, refund.FeeAmount);
        PaymentMetrics.Refunded();
        try
        {
            await seatLock.ReleaseSoldAsync(order.PerformanceId, seatIds, order.Number, CancellationToken.None);
        }
        catch (SeatLockUnavailableException ex)
        {
            // The database already sells the seats again; the lock store's sold keys are cleared by the next try.
            LogReleaseFailed(logger, ex, order.Id);
        }

        return new RefundDto(refund.Id, order.Number, order.Status.StatusName(), seatIds, refund.GrossAmount, refund.FeeAmount, refund.Amount, "done");
    }

    [LoggerMessage(EventId = 4500, Level = LogLevel.Information, Message = "Order {OrderId}: {Seats} seats cancelled, {Amount} won refunded ({Fee} won fee)")]
    private static partial void LogRefunded(ILogger logger, Guid orderId, int seats, long amount, long fee);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Order {OrderId}: could not return the refunded seats' locks")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid orderId);
}
