using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Transfers;

/// <summary>
/// The recipient takes a free offer: in one save the transfer is accepted and the ticket row is re-issued to them with
/// the next QR serial (the sender's code stops verifying). The same row changes hands, so the seat never has two live
/// tickets; the transfer's version and the ticket's status make an accept racing a cancel save once.
/// </summary>
public sealed record AcceptTicketTransfer(Guid FanId, Guid TransferId) : IRequest<Result<TicketTransferDto>>;

public sealed class AcceptTicketTransferHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<AcceptTicketTransfer, Result<TicketTransferDto>>
{
    public async Task<Result<TicketTransferDto>> Handle(AcceptTicketTransfer request, CancellationToken cancellationToken)
    {
        var transfer = await TransferAccess.LoadReceivedAsync(db, request.FanId, request.TransferId, cancellationToken);
        if (transfer is null)
        {
            return TransferAccess.NotFound;
        }

        if (transfer.Status == TicketTransferStatus.Accepted && transfer.RecipientId == request.FanId)
        {
            // A repeat of this accept: the same answer.
            return await TransferAccess.ToDtoAsync(db, transfer, request.FanId, cancellationToken);
        }

        var ticket = await db.Tickets.SingleAsync(t => t.Id == transfer.TicketId, cancellationToken);
        try
        {
            transfer.AcceptFree(ticket, request.FanId, clock.GetUtcNow());
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
            // The sender cancelled (or the offer lapsed) a moment before: their move stands.
            db.ChangeTracker.Clear();
            var status = await db.TicketTransfers.AsNoTracking().Where(t => t.Id == transfer.Id).Select(t => t.Status).SingleAsync(CancellationToken.None);
            return status switch
            {
                TicketTransferStatus.Cancelled => Error.Conflict("transfer.cancelled", "The sender cancelled this transfer."),
                TicketTransferStatus.Expired => Error.Conflict("transfer.expired", "This transfer has expired."),
                _ => TransferAccess.Changed,
            };
        }

        return await TransferAccess.ToDtoAsync(db, transfer, request.FanId, cancellationToken);
    }
}
