using Mapster;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Events;

/// <summary>How events, performances and price grades read to organizers and fans.</summary>
public sealed class EventMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<PriceGrade, GradeDto>();

        config.NewConfig<Performance, PerformanceDto>()
            .Map(d => d.HoldSeconds, s => (int)s.HoldDuration.TotalSeconds)
            .Map(d => d.Grades, s => s.Grades.OrderByDescending(g => g.Price))
            .Map(d => d.ReturnedSeats, s => s.ReturnedSeats.ToString()); // waitlist (issue 13.1)

        config.NewConfig<Event, EventDetailsDto>()
            .Map(d => d.Status, s => EventMapping.StatusName(s.Status))
            .Map(d => d.Performances, s => s.Performances.OrderBy(p => p.StartsAt));
    }
}

public static class EventMapping
{
    public static string StatusName(this EventStatus status) => status.ToString().ToLowerInvariant();
}
