using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Transfers;

/// <summary>
/// Who may see a transfer (its sender, or the account whose email it names: everyone else gets the same 404 as for a
/// missing one), how its domain refusals read, and how it is shown.
/// </summary>
internal static class TransferAccess
{
    public static readonly Error NotFound = Error.NotFound("transfer.not_found", "You have no transfer with this id.");

    /// <summary>How long an offer stays open when the performance is further away than that.</summary>
    public static readonly TimeSpan OfferDuration = TimeSpan.FromDays(3);

    public static async Task<string?> EmailOfAsync(IAppDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.NormalizedEmail).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The transfer (tracked) when the caller is its sender or its recipient; null otherwise.</summary>
    public static async Task<TicketTransfer?> LoadVisibleAsync(IAppDbContext db, Guid callerId, Guid transferId, CancellationToken cancellationToken)
    {
        var transfer = await db.TicketTransfers.SingleOrDefaultAsync(t => t.Id == transferId, cancellationToken);
        if (transfer is null)
        {
            return null;
        }

        if (transfer.SenderId == callerId)
        {
            return transfer;
        }

        var email = await EmailOfAsync(db, callerId, cancellationToken);
        return email is not null && transfer.IsFor(email) ? transfer : null;
    }

    /// <summary>The transfer (tracked) when the caller is its recipient; null otherwise (the sender cannot accept it either).</summary>
    public static async Task<TicketTransfer?> LoadReceivedAsync(IAppDbContext db, Guid callerId, Guid transferId, CancellationToken cancellationToken)
    {
        var transfer = await LoadVisibleAsync(db, callerId, transferId, cancellationToken);
        return transfer is not null && transfer.SenderId != callerId ? transfer : null;
    }

    public static async Task<TicketTransferDto> ToDtoAsync(IAppDbContext db, TicketTransfer transfer, Guid callerId, CancellationToken cancellationToken)
    {
        var shown = await ShowAsync(db, [transfer], callerId, cancellationToken);
        return shown[0];
    }

    public static async Task<IReadOnlyList<TicketTransferDto>> ShowAsync(IAppDbContext db, IReadOnlyList<TicketTransfer> transfers, Guid callerId, CancellationToken cancellationToken)
    {
        var ids = transfers.Select(t => t.PerformanceId).Distinct().ToList();
        var performances = await db.Performances.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Join(db.Events, p => p.EventId, e => e.Id, (p, e) => new { p.Id, p.StartsAt, e.Title })
            .ToListAsync(cancellationToken);
        var byId = performances.ToDictionary(p => p.Id);
        return transfers.Select(t => t.ToDto(callerId, byId.TryGetValue(t.PerformanceId, out var p) ? p.Title : string.Empty, byId.TryGetValue(t.PerformanceId, out var q) ? q.StartsAt : default)).ToList();
    }

    /// <summary>A domain refusal as the API answers it: a missing ticket is 404, a price above face value 400, the rest 409.</summary>
    public static Error ToError(DomainException ex) => ex.Code switch
    {
        "ticket.not_found" => Error.NotFound(ex.Code, ex.Message),
        "transfer.above_face_value" => Error.Validation(ex.Code, ex.Message, new Dictionary<string, string[]> { ["price"] = [ex.Message] }),
        _ => Error.Conflict(ex.Code, ex.Message),
    };

    public static readonly Error Changed = Error.Conflict("transfer.changed", "The transfer or its ticket changed at the same moment; read it again.");
}
