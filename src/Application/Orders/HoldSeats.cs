using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Application.Common;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Orders;

/// <summary>A fan holds seats of a performance: all of them or none.</summary>
/// <param name="AccessPass">The waiting room's pass, required when the performance is paced by a waiting room.</param>
/// <remarks>
/// Validated by hand (<see cref="ISelfValidatingRequest"/>), not by a FluentValidation validator: in an on-sale this is
/// the request that arrives by the thousand per second, mostly to be answered "taken", and its rules are a handful
/// of comparisons. Rules and messages are those the validator had: at least one seat, at most
/// <see cref="PerformanceRules.MaxSeatsPerOrderLimit"/>, positive ids, none named twice.
/// </remarks>
public sealed record HoldSeats(Guid FanId, long PerformanceId, IReadOnlyList<long>? SeatIds, string? AccessPass = null) : IRequest<Result<OrderDto>>, ISelfValidatingRequest
{
    private const string Field = "seatIds";

    private static readonly string TooMany = $"At most {PerformanceRules.MaxSeatsPerOrderLimit} seats can be held at once.";

    public IReadOnlyDictionary<string, string[]>? Validate()
    {
        if (SeatIds is not { Count: > 0 } ids)
        {
            return Failures(["Name at least one seat."]);
        }

        var tooMany = ids.Count > PerformanceRules.MaxSeatsPerOrderLimit;
        var positive = true;
        var distinct = true;
        for (var i = 0; i < ids.Count; i++)
        {
            positive &= ids[i] > 0;

            // A few seats compare pairwise without allocating; a hostile body with thousands goes through a set.
            for (var j = 0; j < i && distinct && !tooMany; j++)
            {
                distinct = ids[j] != ids[i];
            }
        }

        if (tooMany)
        {
            distinct = new HashSet<long>(ids).Count == ids.Count;
        }

        if (!tooMany && positive && distinct)
        {
            return null;
        }

        var messages = new List<string>(3);
        if (tooMany)
        {
            messages.Add(TooMany);
        }

        if (!positive)
        {
            messages.Add("Seat ids are positive numbers.");
        }

        if (!distinct)
        {
            messages.Add("A seat is named twice.");
        }

        return Failures([.. messages]);
    }

    private static Dictionary<string, string[]> Failures(string[] messages) => new(StringComparer.Ordinal) { [Field] = messages };
}

public sealed partial class HoldSeatsHandler(
    IServiceScopeFactory scopes,
    ISeatLayoutCache layouts,
    ISellingRulesCache sellingRules,
    ISeatLock seatLock,
    IPendingOrderWriter orders,
    IAccessPassGate passes,
    TimeProvider clock,
    ILogger<HoldSeatsHandler> logger) : IRequestHandler<HoldSeats, Result<OrderDto>>
{
    /// <summary>
    /// The lock outlives the order's deadline a little, so a lock alone never frees a seat its order still holds.
    /// Seats never wait for the expiry job: within the grace the lock script reports the holder as lapsed and the
    /// hold closes it; after the grace the database write closes it in the same transaction that takes the seat.
    /// </summary>
    public static readonly TimeSpan LockGrace = TimeSpan.FromSeconds(30);

    public async Task<Result<OrderDto>> Handle(HoldSeats request, CancellationToken cancellationToken)
    {
        var seatIds = request.SeatIds!;
        var (layout, rules, refused) = await AdmitAsync(layouts, sellingRules, passes, clock, request.FanId, request.PerformanceId, request.AccessPass, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var unknown = seatIds.Where(id => !layout.IndexById.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            HoldMetrics.RefusedNotFound();
            return Error.Validation("seats.unknown", "Some seats do not belong to this performance.", new Dictionary<string, string[]>
            {
                ["seatIds"] = [$"Not seats of performance {request.PerformanceId}: {string.Join(", ", unknown.Take(20))}."],
            }) with { Data = new Dictionary<string, object?> { ["unknownSeatIds"] = unknown } };
        }

        if (seatIds.Count > rules.MaxSeatsPerOrder)
        {
            HoldMetrics.RefusedLimits();
            return Error.Validation("seats.too_many", $"At most {rules.MaxSeatsPerOrder} seats per order.", new Dictionary<string, string[]>
            {
                ["seatIds"] = [$"At most {rules.MaxSeatsPerOrder} seats per order for this performance."],
            });
        }

        var drafts = seatIds.Select(id =>
        {
            var i = layout.IndexById[id];
            var grade = layout.Grades[layout.Seats.GradeIndexes[i]];
            return new OrderLineDraft(id, layout.Seats.Labels[i], grade.Code, grade.Price);
        }).ToList();
        var order = Order.Place(request.FanId, request.PerformanceId, drafts, now, rules.HoldDuration);

        // The fast path: one atomic script takes every seat or none, and itself tells a live holder (taken: answered at
        // once, no database work) from one past its deadline (lapsed: only then is the database asked, to close that
        // order, and the seats tried once more). A failure to reach the store fails closed.
        var ttl = rules.HoldDuration + LockGrace;
        SeatLockResult locked;
        try
        {
            locked = await seatLock.TryAcquireAsync(request.PerformanceId, seatIds, order.Number, order.ExpiresAt, ttl, now, cancellationToken);
            if (locked.OnlyLapsed && await ReclaimLapsedHoldsAsync(locked.LapsedHolders, now, cancellationToken))
            {
                locked = await seatLock.TryAcquireAsync(request.PerformanceId, seatIds, order.Number, order.ExpiresAt, ttl, now, cancellationToken);
            }
        }
        catch (SeatLockUnavailableException)
        {
            HoldMetrics.HoldFailedClosed();
            throw;
        }

        if (!locked.Acquired)
        {
            HoldMetrics.RefusedSeatsTaken();
            // Lapsed seats count as taken only when nothing live stood in the way and their orders could not be
            // closed (a payment under way): otherwise a fan is not told a seat that is about to come back is taken.
            return SeatsTaken(layout, locked.TakenSeatIds.Count > 0 ? locked.TakenSeatIds : locked.SeatsInTheWay);
        }

        // The guarantee: in one write the database refuses a seat that another live order has (the unique index
        // over live lines) and a fan past the limit (counted in the same transaction, so racing requests of one
        // fan cannot both pass). Only what it accepts is answered as held.
        PlaceOrderOutcome placed;
        try
        {
            placed = await orders.PlaceAsync(order, rules.MaxSeatsPerFan, now, CancellationToken.None);
        }
        catch
        {
            await ReleaseQuietlyAsync(request.PerformanceId, seatIds, order.Number);
            throw;
        }

        switch (placed.Status)
        {
            case PlaceOrderStatus.SeatsTaken:
                await ReleaseQuietlyAsync(request.PerformanceId, seatIds, order.Number);
                LogLockDatabaseDisagreement(logger, request.PerformanceId, string.Join(",", placed.TakenSeatIds));
                HoldMetrics.RefusedSeatsTaken();
                return SeatsTaken(layout, placed.TakenSeatIds);
            case PlaceOrderStatus.FanLimit:
                await ReleaseQuietlyAsync(request.PerformanceId, seatIds, order.Number);
                HoldMetrics.RefusedLimits();
                return FanLimit(rules.MaxSeatsPerFan, placed.SeatsAlreadyHeld);
        }

        LogHeld(logger, order.Id, request.PerformanceId, seatIds.Count);
        HoldMetrics.HoldGranted();
        return order.ToHeldOrderDto(now);
    }

    /// <summary>
    /// Whether the fan may hold seats of the performance at all: it is published, the waiting room's pass (when the
    /// performance is paced) is good, and sales are open. Shared by every way of holding seats.
    /// </summary>
    internal static async Task<(SeatLayout Layout, SellingRules Rules, Error? Refused)> AdmitAsync(
        ISeatLayoutCache layouts,
        ISellingRulesCache sellingRules,
        IAccessPassGate passes,
        TimeProvider clock,
        Guid fanId,
        long performanceId,
        string? accessPass,
        CancellationToken cancellationToken)
    {
        var layout = await layouts.GetAsync(performanceId, cancellationToken);
        if (layout is not { IsPublished: true } || await sellingRules.GetAsync(performanceId, cancellationToken) is not { } rules)
        {
            HoldMetrics.RefusedNotFound();
            return (null!, null!, Error.NotFound("performance.not_found", "No published performance has this id."));
        }

        if (rules.RequiresQueuePass)
        {
            var check = await passes.CheckAsync(accessPass, performanceId, rules.WaitingRoomId, fanId, cancellationToken);
            if (check != AccessPassCheck.Accepted)
            {
                HoldMetrics.RefusedPass();
                return (layout, rules, AccessPassErrors.For(check, rules.WaitingRoomId));
            }
        }

        var now = clock.GetUtcNow();
        if (now < rules.SalesOpenAt)
        {
            HoldMetrics.RefusedSalesWindow();
            return (layout, rules, new Error(ErrorKind.Conflict, "sales.not_open", $"Sales open at {rules.SalesOpenAt:O}.")
            { Data = new Dictionary<string, object?> { ["salesOpenAt"] = rules.SalesOpenAt } });
        }

        if (now >= rules.SalesCloseAt)
        {
            HoldMetrics.RefusedSalesWindow();
            return (layout, rules, Error.Conflict("sales.closed", "Sales for this performance have closed."));
        }

        return (layout, rules, null);
    }

    /// <summary>
    /// A seat's lock outlives its order's deadline by <see cref="LockGrace"/>, until the expiry job runs. Availability
    /// must never wait on the job: when the only seats in the way are held by orders past their deadline (the lock
    /// script told so), close those orders (the same version-guarded transition the job makes) and free their
    /// locks. Orders that are paid or being paid keep their seats, and so does a lapsed order that had a payment
    /// attempt: the expiry asks the provider whether it was paid after all before its seats go. When the lock is
    /// already gone, the database write itself closes such lapsed orders (<see cref="IPendingOrderWriter"/>).
    /// </summary>
    private async Task<bool> ReclaimLapsedHoldsAsync(IReadOnlyDictionary<long, string> lapsedHolders, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var orderIds = lapsedHolders.Values.Distinct()
            .Select(h => Guid.TryParseExact(h, "N", out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .ToList();
        if (orderIds.Count == 0)
        {
            return false;
        }

        // Rare (a lock met past its order's deadline): the database is reached through a scope of this path's own,
        // so the common path builds no DbContext at all.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var lapsed = await db.Orders.Include(o => o.Lines)
            .Where(o => orderIds.Contains(o.Id) && (o.Status != OrderStatus.Pending || (o.ExpiresAt <= now && o.PaymentKey == null))
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
