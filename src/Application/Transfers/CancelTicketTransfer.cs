using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Common;

namespace Ticketing.Application.Transfers;

/// <summary>
/// The sender withdraws an offer until it is accepted (not while the recipient's payment is being confirmed); the
/// ticket admits them again with the same code. Racing an accept, the transfer's version lets exactly one save.
/// </summary>
public sealed record CancelTicketTransfer(Guid FanId, Guid TransferId) : IRequest<Result<TicketTransferDto>>;

public sealed class CancelTicketTransferHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<CancelTicketTransfer, Result<TicketTransferDto>>
{
    public async Task<Result<TicketTransferDto>> Handle(CancelTicketTransfer request, CancellationToken cancellationToken)
    {
        var transfer = await db.TicketTransfers.SingleOrDefaultAsync(t => t.Id == request.TransferId && t.SenderId == request.FanId, cancellationToken);
        if (transfer is null)
        {
            return TransferAccess.NotFound;
        }

        var ticket = await db.Tickets.SingleAsync(t => t.Id == transfer.TicketId, cancellationToken);
        try
        {
            transfer.Cancel(ticket, clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return TransferAccess.ToError(ex);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The recipient accepted (or started paying) a moment before: their move stands.
            db.ChangeTracker.Clear();
            var status = await db.TicketTransfers.AsNoTracking().Where(t => t.Id == transfer.Id).Select(t => t.Status).SingleAsync(CancellationToken.None);
            return status == Domain.Tickets.TicketTransferStatus.Accepted
                ? Error.Conflict("transfer.already_accepted", "The recipient already accepted this transfer.")
                : TransferAccess.Changed;
        }

        return await TransferAccess.ToDtoAsync(db, transfer, request.FanId, cancellationToken);
    }
}
