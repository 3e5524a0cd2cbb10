using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;

namespace Ticketing.Application.Orders;

/// <summary>One of the caller's orders. Another fan's order answers exactly like a missing one.</summary>
public sealed record GetOrder(Guid FanId, Guid OrderId) : IRequest<Result<OrderDto>>;

public sealed class GetOrderHandler(IAppDbContext db, IMapper mapper, TimeProvider clock) : IRequestHandler<GetOrder, Result<OrderDto>>
{
    public async Task<Result<OrderDto>> Handle(GetOrder request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == request.OrderId && o.FanId == request.FanId, cancellationToken);
        return order is null ? OrderErrors.NotFound : mapper.ToOrderDto(order, clock.GetUtcNow());
    }
}

/// <summary>The caller's orders, newest first.</summary>
public sealed record ListMyOrders(Guid FanId, int Page = 1, int PageSize = 20) : IRequest<Result<PagedResult<OrderDto>>>;

public sealed class ListMyOrdersValidator : AbstractValidator<ListMyOrders>
{
    public ListMyOrdersValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, 10_000);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 100);
    }
}

public sealed class ListMyOrdersHandler(IAppDbContext db, IMapper mapper, TimeProvider clock) : IRequestHandler<ListMyOrders, Result<PagedResult<OrderDto>>>
{
    public async Task<Result<PagedResult<OrderDto>>> Handle(ListMyOrders request, CancellationToken cancellationToken)
    {
        var query = db.Orders.AsNoTracking().Where(o => o.FanId == request.FanId);
        var total = await query.CountAsync(cancellationToken);
        var orders = await query.Include(o => o.Lines)
            .OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return new PagedResult<OrderDto>(orders.Select(o => mapper.ToOrderDto(o, now)).ToList(), request.Page, request.PageSize, total);
    }
}

internal static class OrderErrors
{
    public static readonly Error NotFound = Error.NotFound("order.not_found", "You have no order with this id.");
}
