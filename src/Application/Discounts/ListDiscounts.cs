using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;

namespace Ticketing.Application.Discounts;

/// <summary>The discounts and coupons (with their codes) of a performance the caller organizes, and the seats carrying each now.</summary>
public sealed record ListDiscounts(Actor Actor, long PerformanceId) : IRequest<Result<IReadOnlyList<DiscountDto>>>;

public sealed class ListDiscountsHandler(IAppDbContext db) : IRequestHandler<ListDiscounts, Result<IReadOnlyList<DiscountDto>>>
{
    public async Task<Result<IReadOnlyList<DiscountDto>>> Handle(ListDiscounts request, CancellationToken cancellationToken)
    {
        var grades = await DiscountAccess.OwnedPerformanceGradesAsync(db, request.Actor, request.PerformanceId, cancellationToken);
        if (!grades.IsSuccess)
        {
            return grades.Error!;
        }

        var discounts = await db.Discounts.AsNoTracking().Where(d => d.PerformanceId == request.PerformanceId).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        var inUse = await DiscountAccess.InUseAsync(db, discounts.Select(d => d.Id).ToList(), null, cancellationToken);
        return discounts.Select(d => DiscountAccess.ToDto(d, inUse.GetValueOrDefault(d.Id))).ToList();
    }
}
