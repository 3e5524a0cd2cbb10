using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Transfers;

/// <summary>
/// The holder of a valid ticket offers it to another account by email, free (<paramref name="Price"/> 0) or for at most
/// the price they paid for the seat. The ticket admits nobody and cannot be refunded while the offer is open; the offer
/// and that change are one save under the ticket's status as concurrency token, so an offer racing a check-in or a
/// refund request cannot both win.
/// </summary>
public sealed record OfferTicketTransfer(Guid FanId, Guid TicketId, string? RecipientEmail, long? Price) : IRequest<Result<TicketTransferDto>>;

public sealed class OfferTicketTransferValidator : AbstractValidator<OfferTicketTransfer>
{
    public OfferTicketTransferValidator()
    {
        RuleFor(x => x.RecipientEmail).NotEmpty().MaximumLength(User.MaxEmailLength)
            .Must(EmailAddress.IsAcceptable).WithMessage("This is not an email address.");
        RuleFor(x => x.Price).NotNull().InclusiveBetween(0, Domain.Catalog.PriceGrade.MaxPrice);
    }
}

public sealed class OfferTicketTransferHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<OfferTicketTransfer, Result<TicketTransferDto>>
{
    public async Task<Result<TicketTransferDto>> Handle(OfferTicketTransfer request, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == request.TicketId && t.FanId == request.FanId, cancellationToken);
        if (ticket is null)
        {
            return Error.NotFound("ticket.not_found", "You have no ticket with this id.");
        }

        var recipient = EmailAddress.Normalize(request.RecipientEmail!);
        if (recipient == await TransferAccess.EmailOfAsync(db, request.FanId, cancellationToken))
        {
            return Error.Validation("transfer.to_self", "A ticket is transferred to another account.", new Dictionary<string, string[]>
            {
                ["recipientEmail"] = ["This is your own email."],
            });
        }

        var performance = await db.Performances.AsNoTracking().Where(p => p.Id == ticket.PerformanceId)
            .Select(p => new { p.StartsAt, p.MaxTransfersPerTicket }).SingleAsync(cancellationToken);
        var now = clock.GetUtcNow();
        TicketTransfer transfer;
        try
        {
            transfer = TicketTransfer.Offer(ticket, request.FanId, recipient, request.Price!.Value, performance.MaxTransfersPerTicket, performance.StartsAt, now, TransferAccess.OfferDuration);
        }
        catch (DomainException ex)
        {
            return TransferAccess.ToError(ex);
        }

        db.TicketTransfers.Add(transfer);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A check-in, a refund request or another offer moved the ticket first.
            db.ChangeTracker.Clear();
            var status = await db.Tickets.AsNoTracking().Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync(CancellationToken.None);
            return status switch
            {
                TicketStatus.CheckedIn => Error.Conflict("ticket.already_checked_in", "A ticket that was used at the entrance cannot be transferred."),
                TicketStatus.RefundPending or TicketStatus.Voided => Error.Conflict("ticket.refund_pending", "This ticket is being refunded."),
                TicketStatus.TransferPending => Error.Conflict("transfer.already_open", "This ticket is already offered to someone; cancel that transfer first."),
                _ => TransferAccess.Changed,
            };
        }

        return await TransferAccess.ToDtoAsync(db, transfer, request.FanId, cancellationToken);
    }
}
