using FluentValidation;
using MapsterMapper;
using MediatR;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Events;

public sealed record CreateEvent(Actor Actor, string Title, string Category, string Venue, string? Description)
    : IRequest<Result<EventDetailsDto>>;

/// <summary>The editable fields of an event, shared by create and update.</summary>
internal static class EventFieldRules
{
    public static void Apply<T>(AbstractValidator<T> v, Func<T, string> title, Func<T, string> category, Func<T, string> venue, Func<T, string?> description)
    {
        v.RuleFor(x => title(x)).NotEmpty().MaximumLength(Event.MaxTitleLength).OverridePropertyName("title");
        v.RuleFor(x => category(x)).NotEmpty().MaximumLength(Event.MaxCategoryLength).OverridePropertyName("category");
        v.RuleFor(x => venue(x)).NotEmpty().MaximumLength(Event.MaxVenueLength).OverridePropertyName("venue");
        v.RuleFor(x => description(x)).MaximumLength(Event.MaxDescriptionLength).OverridePropertyName("description");
    }
}

public sealed class CreateEventValidator : AbstractValidator<CreateEvent>
{
    public CreateEventValidator() => EventFieldRules.Apply(this, x => x.Title, x => x.Category, x => x.Venue, x => x.Description);
}

public sealed class CreateEventHandler(IAppDbContext db, IMapper mapper, TimeProvider clock) : IRequestHandler<CreateEvent, Result<EventDetailsDto>>
{
    public async Task<Result<EventDetailsDto>> Handle(CreateEvent request, CancellationToken cancellationToken)
    {
        var e = Event.Create(request.Actor.UserId, request.Title, request.Category, request.Venue, request.Description ?? string.Empty, clock.GetUtcNow());
        db.Events.Add(e);
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<EventDetailsDto>(e);
    }
}
