using FluentValidation;
using MapsterMapper;
using MediatR;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;

namespace Ticketing.Application.Events;

public sealed record UpdateEvent(Actor Actor, long EventId, string Title, string Category, string Venue, string? Description)
    : IRequest<Result<EventDetailsDto>>;

public sealed class UpdateEventValidator : AbstractValidator<UpdateEvent>
{
    public UpdateEventValidator() => EventFieldRules.Apply(this, x => x.Title, x => x.Category, x => x.Venue, x => x.Description);
}

public sealed class UpdateEventHandler(IAppDbContext db, IMapper mapper, TimeProvider clock) : IRequestHandler<UpdateEvent, Result<EventDetailsDto>>
{
    public async Task<Result<EventDetailsDto>> Handle(UpdateEvent request, CancellationToken cancellationToken)
    {
        var loaded = await EventAccess.LoadOwnedAsync(db, request.EventId, request.Actor, withPerformances: true, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var e = loaded.Value;
        e.Update(request.Title, request.Category, request.Venue, request.Description ?? string.Empty, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<EventDetailsDto>(e);
    }
}

public sealed record PublishEvent(Actor Actor, long EventId) : IRequest<Result<EventDetailsDto>>;

public sealed class PublishEventHandler(IAppDbContext db, IMapper mapper, TimeProvider clock) : IRequestHandler<PublishEvent, Result<EventDetailsDto>>
{
    public async Task<Result<EventDetailsDto>> Handle(PublishEvent request, CancellationToken cancellationToken)
    {
        var loaded = await EventAccess.LoadOwnedAsync(db, request.EventId, request.Actor, withPerformances: true, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var e = loaded.Value;
        if (e.Performances.Count == 0)
        {
            return Error.Conflict("event.no_performances", "An event needs at least one performance before it is published.");
        }

        e.Publish(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<EventDetailsDto>(e);
    }
}

/// <summary>One of the caller's events, drafts included.</summary>
public sealed record GetOwnEvent(Actor Actor, long EventId) : IRequest<Result<EventDetailsDto>>;

public sealed class GetOwnEventHandler(IAppDbContext db, IMapper mapper) : IRequestHandler<GetOwnEvent, Result<EventDetailsDto>>
{
    public async Task<Result<EventDetailsDto>> Handle(GetOwnEvent request, CancellationToken cancellationToken)
    {
        var loaded = await EventAccess.LoadOwnedAsync(db, request.EventId, request.Actor, withPerformances: true, cancellationToken);
        return loaded.IsSuccess ? mapper.Map<EventDetailsDto>(loaded.Value) : loaded.Error!;
    }
}
