using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;
using Ticketing.Application.Payments;

namespace Ticketing.Application.Tickets;

/// <summary>A ticket with its signed QR content, as its owner sees it.</summary>
public sealed record TicketDetailsDto(TicketDto Ticket, string QrContent);

/// <summary>One of the caller's tickets; anyone else's answers like a missing one.</summary>
public sealed record GetTicket(Guid FanId, Guid TicketId) : IRequest<Result<TicketDetailsDto>>;

public sealed class GetTicketHandler(IAppDbContext db, ITicketSigner signer, IMapper mapper) : IRequestHandler<GetTicket, Result<TicketDetailsDto>>
{
    public async Task<Result<TicketDetailsDto>> Handle(GetTicket request, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.AsNoTracking()
            .SingleOrDefaultAsync(t => t.Id == request.TicketId && t.FanId == request.FanId, cancellationToken);
        return ticket is null
            ? TicketErrors.NotFound
            : new TicketDetailsDto(mapper.Map<TicketDto>(ticket), signer.Sign(ticket.Id, ticket.PerformanceId, ticket.SeatId, ticket.QrSerial));
    }
}

/// <summary>The caller's tickets, newest first.</summary>
public sealed record ListMyTickets(Guid FanId, int Page = 1, int PageSize = 20) : IRequest<Result<PagedResult<TicketDto>>>;

public sealed class ListMyTicketsValidator : AbstractValidator<ListMyTickets>
{
    public ListMyTicketsValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, 10_000);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 100);
    }
}

public sealed class ListMyTicketsHandler(IAppDbContext db, IMapper mapper) : IRequestHandler<ListMyTickets, Result<PagedResult<TicketDto>>>
{
    public async Task<Result<PagedResult<TicketDto>>> Handle(ListMyTickets request, CancellationToken cancellationToken)
    {
        var query = db.Tickets.AsNoTracking().Where(t => t.FanId == request.FanId);
        var total = await query.CountAsync(cancellationToken);
        var tickets = await query.OrderByDescending(t => t.IssuedAt).ThenBy(t => t.SeatId)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<TicketDto>(mapper.Map<List<TicketDto>>(tickets), request.Page, request.PageSize, total);
    }
}

internal static class TicketErrors
{
    public static readonly Error NotFound = Error.NotFound("ticket.not_found", "You have no ticket with this id.");
}
