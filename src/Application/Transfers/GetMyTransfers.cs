using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;

namespace Ticketing.Application.Transfers;

/// <summary>The caller's transfers, newest first: those offered to their email, and those they offered (at most 100 each).</summary>
public sealed record GetMyTransfers(Guid FanId) : IRequest<Result<MyTransfersDto>>;

public sealed class GetMyTransfersHandler(IAppDbContext db) : IRequestHandler<GetMyTransfers, Result<MyTransfersDto>>
{
    private const int Limit = 100;

    public async Task<Result<MyTransfersDto>> Handle(GetMyTransfers request, CancellationToken cancellationToken)
    {
        var email = await TransferAccess.EmailOfAsync(db, request.FanId, cancellationToken) ?? string.Empty;
        var received = await db.TicketTransfers.AsNoTracking()
            .Where(t => t.RecipientEmail == email && t.SenderId != request.FanId)
            .OrderByDescending(t => t.Id).Take(Limit).ToListAsync(cancellationToken);
        var sent = await db.TicketTransfers.AsNoTracking()
            .Where(t => t.SenderId == request.FanId)
            .OrderByDescending(t => t.Id).Take(Limit).ToListAsync(cancellationToken);
        return new MyTransfersDto(
            await TransferAccess.ShowAsync(db, received, request.FanId, cancellationToken),
            await TransferAccess.ShowAsync(db, sent, request.FanId, cancellationToken));
    }
}
