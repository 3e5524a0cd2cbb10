using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Application.Common;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Events;

/// <summary>
/// The organizer's live sales of one of their performances (an admin may read any): per grade the seats sold, held
/// and available now, the money taken and refunded, and the check-ins at the entrance. Someone else's performance is
/// not found, so its existence does not leak.
/// </summary>
public sealed record GetPerformanceSales(Actor Actor, long PerformanceId) : IRequest<Result<PerformanceSalesReport>>;

/// <summary>One performance's sales now. Amounts are whole won.</summary>
public sealed record PerformanceSalesReport(
    long PerformanceId,
    long EventId,
    string EventTitle,
    DateTimeOffset StartsAt,
    DateTimeOffset AsOf,
    SeatCounts Totals,
    IReadOnlyList<GradeSales> Grades,
    SalesRevenue Revenue,
    RefundTotals Refunds,
    CheckInTotals CheckIns);

/// <summary>Seats by state: <c>Held</c> counts orders not yet paid (before their deadline, or waiting on the payment's outcome).</summary>
public sealed record SeatCounts(int Seats, int Sold, int Held, int Available);

/// <summary>A grade's seats by state, and what its sold seats brought in (<paramref name="SoldAmount"/>).</summary>
public sealed record GradeSales(string Code, string Name, long Price, string? Color, int Seats, int Sold, int Held, int Available, long SoldAmount);

/// <summary><paramref name="Gross"/>: every order ever paid; <paramref name="Refunded"/>: paid back to fans; <paramref name="Net"/>: kept (fees included).</summary>
public sealed record SalesRevenue(long Gross, long Refunded, long Net, int PaidOrders);

/// <summary>Refunds completed (count, amount paid back, fees kept) and refunds still open or waiting for an administrator.</summary>
public sealed record RefundTotals(int Count, long Amount, long Fees, int Open);

/// <summary>Tickets admitted at the entrance, of the tickets that admit someone (valid or used).</summary>
public sealed record CheckInTotals(int Count, int Tickets);

public sealed class GetPerformanceSalesHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<GetPerformanceSales, Result<PerformanceSalesReport>>
{
    /// <remarks>
    /// Every figure is an aggregate the database computes (GROUP BY, COUNT, SUM over indexed performance ids): no order
    /// or ticket is loaded, so a page refreshing every two seconds costs a handful of small queries whatever the sales.
    /// </remarks>
    public async Task<Result<PerformanceSalesReport>> Handle(GetPerformanceSales request, CancellationToken cancellationToken)
    {
        var id = request.PerformanceId;
        var performance = await db.Performances.AsNoTracking()
            .Where(p => p.Id == id)
            .Join(db.Events, p => p.EventId, e => e.Id, (p, e) => new { p.EventId, e.Title, e.OrganizerId, p.StartsAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (performance is null || !(request.Actor.IsAdmin || performance.OrganizerId == request.Actor.UserId))
        {
            return Error.NotFound("performance.not_found", "You have no performance with this id.");
        }

        var now = clock.GetUtcNow();
        var grades = await db.PriceGrades.AsNoTracking()
            .Where(g => g.PerformanceId == id)
            .OrderByDescending(g => g.Price).ThenBy(g => g.Code)
            .Select(g => new { g.Code, g.Name, g.Price, g.Color })
            .ToListAsync(cancellationToken);
        var seats = await db.Seats.AsNoTracking()
            .Where(s => s.PerformanceId == id)
            .GroupBy(s => s.GradeCode)
            .Select(g => new { Grade = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Grade, x => x.Count, cancellationToken);

        // Held and sold as the seat map decides them (a hold past its deadline is free again, before the expiry job runs).
        var taken = await SeatAvailability.LiveLines(db, id, now)
            .GroupBy(l => new { l.GradeCode, l.Sold })
            .Select(g => new { g.Key.GradeCode, g.Key.Sold, Count = g.Count(), Amount = g.Sum(l => l.Price) })
            .ToListAsync(cancellationToken);

        var paid = await db.Orders.AsNoTracking()
            .Where(o => o.PerformanceId == id && o.PaidAt != null)
            .GroupBy(o => 1)
            .Select(g => new { Count = g.Count(), Gross = g.Sum(o => o.TotalAmount), Refunded = g.Sum(o => o.RefundedAmount) })
            .SingleOrDefaultAsync(cancellationToken);

        var refunds = await db.Refunds.AsNoTracking()
            .Join(db.Orders.Where(o => o.PerformanceId == id), r => r.OrderId, o => o.Id, (r, o) => r)
            .GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Gross = g.Sum(r => r.GrossAmount), Fees = g.Sum(r => r.FeeAmount) })
            .ToListAsync(cancellationToken);
        var done = refunds.SingleOrDefault(r => r.Status == RefundStatus.Done);

        var tickets = await db.Tickets.AsNoTracking()
            .Where(t => t.PerformanceId == id && (t.Status == TicketStatus.Valid || t.Status == TicketStatus.CheckedIn || t.Status == TicketStatus.TransferPending))
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var rows = grades.Select(g =>
        {
            var count = seats.GetValueOrDefault(g.Code);
            var sold = taken.Where(t => t.GradeCode == g.Code && t.Sold).Sum(t => t.Count);
            var held = taken.Where(t => t.GradeCode == g.Code && !t.Sold).Sum(t => t.Count);
            var soldAmount = taken.Where(t => t.GradeCode == g.Code && t.Sold).Sum(t => t.Amount);
            return new GradeSales(g.Code, g.Name, g.Price, g.Color, count, sold, held, Math.Max(0, count - sold - held), soldAmount);
        }).ToList();

        var gross = paid?.Gross ?? 0;
        var refunded = paid?.Refunded ?? 0;
        return new PerformanceSalesReport(
            id,
            performance.EventId,
            performance.Title,
            performance.StartsAt,
            now,
            new SeatCounts(rows.Sum(r => r.Seats), rows.Sum(r => r.Sold), rows.Sum(r => r.Held), rows.Sum(r => r.Available)),
            rows,
            new SalesRevenue(gross, refunded, gross - refunded, paid?.Count ?? 0),
            new RefundTotals(
                done?.Count ?? 0,
                (done?.Gross ?? 0) - (done?.Fees ?? 0),
                done?.Fees ?? 0,
                refunds.Where(r => r.Status is RefundStatus.Requested or RefundStatus.OutcomeUnknown or RefundStatus.Abandoned).Sum(r => r.Count)),
            new CheckInTotals(
                tickets.Where(t => t.Status == TicketStatus.CheckedIn).Sum(t => t.Count),
                tickets.Sum(t => t.Count)));
    }
}
