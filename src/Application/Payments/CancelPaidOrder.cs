using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
/// is a (partial, with <c>cancelAmount</c>) cancel at Toss.
/// <para>
/// Order of the steps, against a check-in at the door: first the tickets are taken out of use
/// (<see cref="Ticket.HoldForRefund"/>) in one save with the refund's record, under each ticket's status as its
/// concurrency token, so a check-in racing it either lands first (this cancellation is refused, nothing is sent to
/// Toss) or loses (the door is told a refund is pending). Only then is the cancel sent. If Toss refuses it, the
/// tickets admit their holder again (nothing was refunded); if its outcome is unknown, they stay out of use while the
/// refund is retried under the same key (the money may be on its way back, so entry must not be). Never "refunded at
/// Toss, still valid here".
/// </para>
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

public sealed class CancelPaidOrderHandler(
    IAppDbContext db,
    RefundSettlement settlement,
    TimeProvider clock,
    IOptions<PaymentPolicy> policy) : IRequestHandler<CancelPaidOrder, Result<RefundDto>>
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
        var unsettled = await db.Refunds
            .Where(r => r.OrderId == order.Id)
            .Where(Refund.Unsettled)
            .ToListAsync(cancellationToken);
        if (unsettled.Any(r => r.Status == RefundStatus.Abandoned))
        {
            return Error.Conflict("refund.needs_attention", "An earlier refund of this order has no known outcome; our staff is settling it with the payment provider.");
        }

        if (unsettled.Any(r => r.SeatIds != key))
        {
            return Error.Conflict("refund.in_progress", "Another cancellation of this order is being processed; try again shortly.");
        }

        // Retrying the same cancellation resumes its refund (same Toss idempotency key) instead of refunding twice.
        var refund = unsettled.SingleOrDefault();
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

            // Due for the retry job from the start, in case this process never records the answer.
            refund = Refund.Request(order.Id, seatIds, quote.Gross, quote.Fee, now, policy.Value.CheckAfter);
            db.Refunds.Add(refund);
            order.RefundRequested(now);
            // The tickets admit nobody until the provider answers; a check-in racing this save loses on the
            // ticket's status (its concurrency token), or this save does.
            foreach (var ticket in tickets)
            {
                ticket.HoldForRefund();
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A check-in at the door won the race for a ticket (nothing was sent to Toss), or another cancellation
                // of this order saved first.
                db.ChangeTracker.Clear();
                var checkedIn = await db.Tickets.AsNoTracking()
                    .AnyAsync(t => t.OrderId == order.Id && seatIds.Contains(t.SeatId) && t.Status == TicketStatus.CheckedIn, CancellationToken.None);
                return checkedIn
                    ? Error.Conflict("ticket.already_checked_in", "A ticket that was used at the entrance cannot be refunded.")
                    : Error.Conflict("refund.in_progress", "Another cancellation of this order is being processed; try again shortly.");
            }
        }

        (RefundSendResult Result, GatewayOutcome Outcome) sent;
        try
        {
            sent = await settlement.SendAsync(order, refund, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A concurrent repeat of this cancellation (or the retry job) resumed the same refund (same Toss key, one
            // refund) and recorded it first.
            return Error.Conflict("refund.in_progress", "This cancellation was just completed by another request; read the order again.");
        }

        return sent.Result switch
        {
            RefundSendResult.Refunded => new RefundDto(refund.Id, order.Number, order.Status.StatusName(), seatIds, refund.GrossAmount, refund.FeeAmount, refund.Amount, "done"),
            RefundSendResult.Refused => new Error(ErrorKind.Conflict, "refund.refused", sent.Outcome.Message ?? "The payment provider refused the refund.")
            {
                Data = new Dictionary<string, object?> { ["tossCode"] = sent.Outcome.Code },
            },
            RefundSendResult.Abandoned => Error.Conflict("refund.needs_attention", "The refund has no known outcome after every attempt; our staff is settling it with the payment provider."),
            _ => Error.Unavailable("refund.pending", "The refund could not be confirmed yet; it is retried automatically, or send the same cancellation again to resume it.", TimeSpan.FromSeconds(10)),
        };
    }
}
