using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Payments;

/// <summary>
/// What cancelling seats of a paid order (all live seats when <paramref name="SeatIds"/> is empty) would refund now,
/// read before the fan agrees: the same figures <see cref="CancelPaidOrder"/> would use, nothing changed.
/// </summary>
public sealed record QuoteCancellation(Guid FanId, Guid OrderId, IReadOnlyList<long>? SeatIds) : IRequest<Result<CancellationQuoteDto>>;

public sealed record RefundTierDto(int DaysBefore, int FeePercent);

public sealed record CancellationQuoteDto(
    string OrderId,
    IReadOnlyList<long> SeatIds,
    long GrossAmount,
    int FeePercent,
    long FeeAmount,
    long RefundAmount,
    DateTimeOffset CancellableUntil,
    IReadOnlyList<RefundTierDto> Schedule);

public sealed class QuoteCancellationValidator : AbstractValidator<QuoteCancellation>
{
    public QuoteCancellationValidator()
    {
        When(x => x.SeatIds is { Count: > 0 }, () =>
        {
            RuleFor(x => x.SeatIds!.Count).LessThanOrEqualTo(Domain.Catalog.PerformanceRules.MaxSeatsPerOrderLimit).OverridePropertyName("seatIds");
            RuleFor(x => x.SeatIds).Must(ids => ids!.All(id => id > 0)).WithMessage("Seat ids are positive numbers.")
                .Must(ids => ids!.Distinct().Count() == ids!.Count).WithMessage("A seat is named twice.");
        });
    }
}

public sealed class QuoteCancellationHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<QuoteCancellation, Result<CancellationQuoteDto>>
{
    public async Task<Result<CancellationQuoteDto>> Handle(QuoteCancellation request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == request.OrderId && o.FanId == request.FanId, cancellationToken);
        if (order is null)
        {
            return OrderErrors.NotFound;
        }

        var seatIds = request.SeatIds is { Count: > 0 } ids
            ? ids.Order().ToList()
            : order.Lines.Where(l => l.IsLive).Select(l => l.SeatId).Order().ToList();
        var now = clock.GetUtcNow();
        (long Gross, long Fee) quote;
        try
        {
            quote = order.QuoteRefund(seatIds, now);
        }
        catch (Domain.Common.DomainException ex)
        {
            return Error.Conflict(ex.Code, ex.Message);
        }

        var schedule = RefundSchedule.Parse(order.RefundFeeSchedule!);
        return new CancellationQuoteDto(
            order.Number,
            seatIds,
            quote.Gross,
            schedule.FeePercentAt(order.PerformanceStartsAt!.Value, now),
            quote.Fee,
            quote.Gross - quote.Fee,
            order.CancellableUntil!.Value,
            schedule.Tiers.Select(t => new RefundTierDto(t.DaysBefore, t.FeePercent)).ToList());
    }
}
