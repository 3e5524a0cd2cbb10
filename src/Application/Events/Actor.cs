using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Events;

/// <summary>Who acts on the catalog: an organizer touches only their own events; an admin touches any.</summary>
public readonly record struct Actor(Guid UserId, bool IsAdmin)
{
    public bool Owns(Event e) => IsAdmin || e.IsOwnedBy(UserId);
}

internal static class EventAccess
{
    public static async Task<Result<Event>> LoadOwnedAsync(IAppDbContext db, long eventId, Actor actor, bool withPerformances, CancellationToken cancellationToken)
    {
        var query = db.Events.AsQueryable();
        if (withPerformances)
        {
            query = query.Include(e => e.Performances).ThenInclude(p => p.Grades);
        }

        var e = await query.SingleOrDefaultAsync(x => x.Id == eventId, cancellationToken);
        if (e is null)
        {
            return Error.NotFound("event.not_found", "No event has this id.");
        }

        if (!actor.Owns(e))
        {
            return Error.Forbidden("event.not_owner", "This event belongs to another organizer.");
        }

        return e;
    }
}
