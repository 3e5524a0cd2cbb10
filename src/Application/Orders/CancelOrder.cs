using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Orders;

/// <summary>The owner gives back a pending order's seats; they are free at once.</summary>
public sealed record CancelOrder(Guid FanId, Guid OrderId) : IRequest<Result<OrderDto>>;

public sealed partial class CancelOrderHandler(IAppDbContext db, ISeatLock seatLock, IMapper mapper, TimeProvider clock, ILogger<CancelOrderHandler> logger, IReturnedSeats returnedSeats)
    : IRequestHandler<CancelOrder, Result<OrderDto>>
{
    public async Task<Result<OrderDto>> Handle(CancelOrder request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == request.OrderId && o.FanId == request.FanId, cancellationToken);
        if (order is null)
        {
            return OrderErrors.NotFound;
        }

        var now = clock.GetUtcNow();
        if (order.Status != OrderStatus.Pending || now >= order.ExpiresAt)
        {
            return Error.Conflict("order.not_cancellable", $"The order is {OrderMapping.DisplayedStatus(order, now).StatusName()}; only a pending hold can be cancelled.");
        }

        order.Cancel(now);
        try
        {
            // Waitlist (issue 13.1): a declined offer (or a hold given back after sales closed) passes on in this save.
            await returnedSeats.SaveAsync(SeatReturn.Cancel, [ReturnedOrderSeats.All(order)], cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("order.changed", "The order changed while it was being cancelled; read it again.");
        }

        await SeatRelease.ReleaseAsync(seatLock, order, logger);
        return mapper.ToOrderDto(order, now);
    }
}

internal static partial class SeatRelease
{
    /// <summary>
    /// Frees a closed order's seat locks after its commit. If the lock store is down the keys expire on their own;
    /// the database already lets the seats be held again.
    /// </summary>
    public static Task ReleaseAsync(ISeatLock seatLock, Order order, ILogger logger) =>
        ReleaseAsync(seatLock, order.PerformanceId, order.Lines.Select(l => l.SeatId).ToList(), order.Number, logger);

    /// <summary>The same for seats locked under <paramref name="holdId"/> by a hold that never committed.</summary>
    public static async Task ReleaseAsync(ISeatLock seatLock, long performanceId, IReadOnlyList<long> seatIds, string holdId, ILogger logger)
    {
        try
        {
            await seatLock.ReleaseAsync(performanceId, seatIds, holdId, CancellationToken.None);
        }
        catch (SeatLockUnavailableException ex)
        {
            LogReleaseFailed(logger, ex, holdId);
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Could not release the seat locks of hold {HoldId}; they will expire on their own")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string holdId);
}
