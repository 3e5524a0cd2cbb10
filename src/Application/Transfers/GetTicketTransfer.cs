using MediatR;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;

namespace Ticketing.Application.Transfers;

/// <summary>One transfer, for its sender or its recipient; anyone else gets the same 404 as for a missing one.</summary>
public sealed record GetTicketTransfer(Guid FanId, Guid TransferId) : IRequest<Result<TicketTransferDto>>;

public sealed class GetTicketTransferHandler(IAppDbContext db) : IRequestHandler<GetTicketTransfer, Result<TicketTransferDto>>
{
    public async Task<Result<TicketTransferDto>> Handle(GetTicketTransfer request, CancellationToken cancellationToken)
    {
        var transfer = await TransferAccess.LoadVisibleAsync(db, request.FanId, request.TransferId, cancellationToken);
        return transfer is null ? TransferAccess.NotFound : await TransferAccess.ToDtoAsync(db, transfer, request.FanId, cancellationToken);
    }
}
