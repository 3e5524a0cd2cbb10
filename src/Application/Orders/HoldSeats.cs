using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Application.Common;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Orders;

/// <summary>A fan holds seats of a performance: all of them or none.</summary>
/// <param name="AccessPass">The waiting room's pass, required when the performance is paced by a waiting room.</param>
public sealed record HoldSeats(Guid FanId, long PerformanceId, IReadOnlyList<long>? SeatIds, string? AccessPass = null) : IRequest<Result<OrderDto>>;

public sealed class HoldSeatsValidator : AbstractValidator<HoldSeats>
{
    public HoldSeatsValidator()
    {
        RuleFor(x => x.SeatIds).NotEmpty().WithMessage("Name at least one seat.");
        When(x => x.SeatIds is { Count: > 0 }, () =>
        {
            RuleFor(x => x.SeatIds!.Count).LessThanOrEqualTo(PerformanceRules.MaxSeatsPerOrderLimit)
                .OverridePropertyName("seatIds").WithMessage($"At most {PerformanceRules.MaxSeatsPerOrderLimit} seats can be held at once.");
            RuleFor(x => x.SeatIds).Must(ids => ids!.All(id => id > 0)).WithMessage("Seat ids are positive numbers.")
                .Must(ids => ids!.Distinct().Count() == ids!.Count).WithMessage("A seat is named twice.");
        });
    }
}

public sealed partial class HoldSeatsHandler(
    IAppDbContext db,
    ISeatLayoutCache layouts,
    ISeatLock seatLock,
    IAccessPassGate passes,
    IUniqueViolationDetector uniqueViolations,
    TimeProvider clock,
    ILogger<HoldSeatsHandler> logger) : IRequestHandler<HoldSeats, Result<OrderDto>>
{
    /// <summary>The lock outlives the order's deadline a little, so the expiry job (not the lock) decides when seats return.</summary>
    public static readonly TimeSpan LockGrace = TimeSpan.FromSeconds(30);

    public async Task<Result<OrderDto>> Handle(HoldSeats request, CancellationToken cancellationToken)
    {
        var seatIds = request.SeatIds!;
        var layout = await layouts.GetAsync(request.PerformanceId, cancellationToken);
        if (layout is not { IsPublished: true })
        {
            return Error.NotFound("performance.not_found", "No published performance has this id.");
        }

        var performance = await db.Performances.AsNoTracking()
            .Where(p => p.Id == request.PerformanceId)
            .Select(p => new { p.SalesOpenAt, p.SalesCloseAt, p.HoldDuration, p.MaxSeatsPerOrder, p.MaxSeatsPerFan, p.RequiresQueuePass, p.WaitingRoomId })
            .SingleAsync(cancellationToken);
        if (performance.RequiresQueuePass)
        {
            var check = await passes.CheckAsync(request.AccessPass, request.PerformanceId, performance.WaitingRoomId, request.FanId, cancellationToken);
            if (check != AccessPassCheck.Accepted)
            {
                return AccessPassErrors.For(check, performance.WaitingRoomId);
            }
        }

        var now = clock.GetUtcNow();
        if (now < performance.SalesOpenAt)
        {
            return new Error(ErrorKind.Conflict, "sales.not_open", $"Sales open at {performance.SalesOpenAt:O}.")
            { Data = new Dictionary<string, object?> { ["salesOpenAt"] = performance.SalesOpenAt } };
        }

        if (now >= performance.SalesCloseAt)
        {
            return Error.Conflict("sales.closed", "Sales for this performance have closed.");
        }

        var unknown = seatIds.Where(id => !layout.IndexById.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            return Error.Validation("seats.unknown", "Some seats do not belong to this performance.", new Dictionary<string, string[]>
            {
                ["seatIds"] = [$"Not seats of performance {request.PerformanceId}: {string.Join(", ", unknown.Take(20))}."],
            }) with { Data = new Dictionary<string, object?> { ["unknownSeatIds"] = unknown } };
        }

        if (seatIds.Count > performance.MaxSeatsPerOrder)
        {
            return Error.Validation("seats.too_many", $"At most {performance.MaxSeatsPerOrder} seats per order.", new Dictionary<string, string[]>
            {
                ["seatIds"] = [$"At most {performance.MaxSeatsPerOrder} seats per order for this performance."],
            });
        }

        var alreadyHeld = await LiveSeatsOfFanAsync(request.FanId, request.PerformanceId, now, cancellationToken);
        if (alreadyHeld + seatIds.Count > performance.MaxSeatsPerFan)
        {
            return FanLimit(performance.MaxSeatsPerFan, alreadyHeld);
        }

        var drafts = seatIds.Select(id =>
        {
            var i = layout.IndexById[id];
            var grade = layout.Grades[layout.Seats.GradeIndexes[i]];
            return new OrderLineDraft(id, layout.Seats.Labels[i], grade.Code, grade.Price);
        }).ToList();
        var order = Order.Place(request.FanId, request.PerformanceId, drafts, now, performance.HoldDuration);

        // The fast path: one atomic script takes every seat or none. A failure to reach the store fails closed.
        var ttl = performance.HoldDuration + LockGrace;
        var locked = await seatLock.TryAcquireAsync(request.PerformanceId, seatIds, order.Number, ttl, cancellationToken);
        if (!locked.Acquired && await ReclaimLapsedHoldsAsync(request.PerformanceId, locked.TakenSeatIds, now, cancellationToken))
        {
            locked = await seatLock.TryAcquireAsync(request.PerformanceId, seatIds, order.Number, ttl, cancellationToken);
        }

        if (!locked.Acquired)
        {
            return SeatsTaken(layout, locked.TakenSeatIds);
        }

        // The guarantee: the unique index over live lines refuses a seat that another live order has.
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
        {
            await ReleaseQuietlyAsync(request.PerformanceId, seatIds, order.Number);
            db.ChangeTracker.Clear();
            var taken = await db.OrderLines.AsNoTracking()
                .Where(l => l.PerformanceId == request.PerformanceId && l.IsLive && seatIds.Contains(l.SeatId))
                .Select(l => l.SeatId).ToListAsync(cancellationToken);
            LogLockDatabaseDisagreement(logger, request.PerformanceId, string.Join(",", taken));
            return SeatsTaken(layout, taken.Count > 0 ? taken : seatIds);
        }
        catch
        {
            await ReleaseQuietlyAsync(request.PerformanceId, seatIds, order.Number);
            throw;
        }

        // A fan racing their own holds could pass the check above twice; the committed total decides.
        var total = await LiveSeatsOfFanAsync(request.FanId, request.PerformanceId, now, cancellationToken);
        if (total > performance.MaxSeatsPerFan)
        {
            order.Cancel(now);
            await db.SaveChangesAsync(cancellationToken);
            await ReleaseQuietlyAsync(request.PerformanceId, seatIds, order.Number);
            return FanLimit(performance.MaxSeatsPerFan, total - seatIds.Count);
        }

        LogHeld(logger, order.Id, request.PerformanceId, seatIds.Count);
        return order.ToDto(now);
    }

    /// <summary>
    /// A seat's lock may outlive its order by up to a second, until the expiry job runs. Availability must never
    /// wait on the job: when the seats we want are locked by orders that no longer hold them, close those orders
    /// (the same idempotent transition the job makes) and free their locks. Orders not yet in the database are
    /// left alone: they are holds still being written.
    /// </summary>
    private async Task<bool> ReclaimLapsedHoldsAsync(long performanceId, IReadOnlyList<long> takenSeatIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var holders = await seatLock.GetHoldersAsync(performanceId, takenSeatIds, cancellationToken);
        var orderIds = holders.Values.Distinct()
            .Select(h => Guid.TryParseExact(h, "N", out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .ToList();
        if (orderIds.Count == 0)
        {
            return false;
        }

        var lapsed = await db.Orders.Include(o => o.Lines)
            .Where(o => orderIds.Contains(o.Id) && (o.Status != OrderStatus.Pending || o.ExpiresAt <= now)
                && o.Status != OrderStatus.Paid && o.Status != OrderStatus.PaymentPending)
            .ToListAsync(cancellationToken);
        var reclaimed = false;
        foreach (var stale in lapsed)
        {
            if (stale.Status == OrderStatus.Pending)
            {
                stale.Expire(now);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateConcurrencyException)
                {
                    // The expiry job (or a payment) got there first; its outcome stands.
                    db.ChangeTracker.Clear();
                    continue;
                }
            }

            await SeatRelease.ReleaseAsync(seatLock, stale, logger);
            reclaimed = true;
        }

        db.ChangeTracker.Clear();
        return reclaimed;
    }

    private Task<int> LiveSeatsOfFanAsync(Guid fanId, long performanceId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking()
            .Where(o => o.FanId == fanId && o.PerformanceId == performanceId
                && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PaymentPending || (o.Status == OrderStatus.Pending && o.ExpiresAt > now)))
            .SelectMany(o => o.Lines)
            .CountAsync(l => l.IsLive, cancellationToken);

    private static Error FanLimit(int max, int already) =>
        new Error(ErrorKind.Conflict, "seats.fan_limit", $"A fan may have at most {max} seats of this performance; you already have {already}.")
        { Data = new Dictionary<string, object?> { ["maxSeatsPerFan"] = max, ["seatsAlreadyHeld"] = already } };

    private static Error SeatsTaken(SeatLayout layout, IReadOnlyList<long> taken) =>
        new Error(ErrorKind.Conflict, "seats.taken", "Some of the seats were just taken by another fan. Nothing was held; choose again.")
        {
            Data = new Dictionary<string, object?>
            {
                ["takenSeatIds"] = taken,
                ["takenSeatLabels"] = taken.Where(layout.IndexById.ContainsKey).Select(id => layout.Seats.Labels[layout.IndexById[id]]).ToList(),
            },
        };

    // The keys would expire on their own; the database already refuses the seats twice.
    private Task ReleaseQuietlyAsync(long performanceId, IReadOnlyList<long> seatIds, string holdId) =>
        SeatRelease.ReleaseAsync(seatLock, performanceId, seatIds, holdId, logger);

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Order {OrderId} holds {Count} seats of performance {PerformanceId}")]
    private static partial void LogHeld(ILogger logger, Guid orderId, long performanceId, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Seat lock granted seats the database refuses (performance {PerformanceId}, seats {Seats}); the lock store lost keys")]
    private static partial void LogLockDatabaseDisagreement(ILogger logger, long performanceId, string seats);
}
