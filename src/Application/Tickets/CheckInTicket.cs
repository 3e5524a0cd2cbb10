using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Tickets;

/// <summary>Entry staff scan a ticket's QR code: admitted once; a second scan, a voided or a forged code is refused.</summary>
public sealed record CheckInTicket(Actor Staff, string? QrContent) : IRequest<Result<CheckInDto>>;

public sealed record CheckInDto(Guid TicketId, long PerformanceId, long SeatId, string Label, string Grade, DateTimeOffset CheckedInAt);

public sealed class CheckInTicketValidator : AbstractValidator<CheckInTicket>
{
    public CheckInTicketValidator()
    {
        RuleFor(x => x.QrContent).NotEmpty().MaximumLength(200);
    }
}

public sealed partial class CheckInTicketHandler(IAppDbContext db, ITicketSigner signer, TimeProvider clock, ILogger<CheckInTicketHandler> logger)
    : IRequestHandler<CheckInTicket, Result<CheckInDto>>
{
    public async Task<Result<CheckInDto>> Handle(CheckInTicket request, CancellationToken cancellationToken)
    {
        if (signer.Verify(request.QrContent!) is not { } code)
        {
            LogForged(logger, request.Staff.UserId);
            return Error.Validation("ticket.invalid_code", "This is not a valid ticket code.", new Dictionary<string, string[]>
            {
                ["qrContent"] = ["The code is malformed or its signature does not match."],
            });
        }

        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == code.TicketId, cancellationToken);
        if (ticket is null || ticket.PerformanceId != code.PerformanceId || ticket.SeatId != code.SeatId)
        {
            return Error.NotFound("ticket.not_found", "No ticket matches this code.");
        }

        // Transfer (issue 13.4): the code the sender kept after a transfer names an older QR serial.
        if (ticket.QrSerial != code.QrSerial)
        {
            return Superseded;
        }

        var organizerId = await db.Performances.AsNoTracking().Where(p => p.Id == ticket.PerformanceId)
            .Join(db.Events, p => p.EventId, e => e.Id, (p, e) => e.OrganizerId)
            .SingleAsync(cancellationToken);
        if (!request.Staff.IsAdmin && organizerId != request.Staff.UserId)
        {
            return Error.Forbidden("ticket.not_your_event", "This ticket is for another organizer's event.");
        }

        switch (ticket.Status)
        {
            case TicketStatus.CheckedIn:
                return AlreadyCheckedIn(ticket.CheckedInAt);
            case TicketStatus.Voided:
                return Voided;
            case TicketStatus.RefundPending:
                return RefundPending;
            case TicketStatus.TransferPending:
                return TransferPending;
        }

        var now = clock.GetUtcNow();
        ticket.CheckIn(request.Staff.UserId, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another scanner admitted it a moment ago, or the holder asked for a refund of it in between.
            db.ChangeTracker.Clear();
            var current = await db.Tickets.AsNoTracking().Where(t => t.Id == ticket.Id)
                .Select(t => new { t.Status, t.CheckedInAt }).SingleAsync(CancellationToken.None);
            return current.Status switch
            {
                TicketStatus.RefundPending => RefundPending,
                TicketStatus.Voided => Voided,
                TicketStatus.TransferPending => TransferPending,
                _ => AlreadyCheckedIn(current.CheckedInAt),
            };
        }

        LogCheckedIn(logger, ticket.Id, ticket.PerformanceId, ticket.SeatId);
        return new CheckInDto(ticket.Id, ticket.PerformanceId, ticket.SeatId, ticket.Label, ticket.GradeCode, now);
    }

    private static readonly Error Voided = Error.Conflict("ticket.voided", "This ticket was voided (its order was cancelled).");

    private static readonly Error RefundPending =
        Error.Conflict("ticket.refund_pending", "A refund of this ticket is in progress; it admits nobody unless the refund is refused.");

    // Transfer (issue 13.4)
    private static readonly Error TransferPending =
        Error.Conflict("ticket.transfer_pending", "This ticket is being transferred to another fan; it admits nobody until the transfer is accepted or withdrawn.");

    private static readonly Error Superseded =
        Error.Conflict("ticket.superseded", "This code was replaced: the ticket was transferred and re-issued with a new code.");

    private static Error AlreadyCheckedIn(DateTimeOffset? at) =>
        new Error(ErrorKind.Conflict, "ticket.already_checked_in", "This ticket was already checked in.")
        {
            Data = new Dictionary<string, object?> { ["checkedInAt"] = at },
        };

    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Ticket {TicketId} checked in (performance {PerformanceId}, seat {SeatId})")]
    private static partial void LogCheckedIn(ILogger logger, Guid ticketId, long performanceId, long seatId);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "A forged or malformed ticket code was scanned by {StaffId}")]
    private static partial void LogForged(ILogger logger, Guid staffId);
}
