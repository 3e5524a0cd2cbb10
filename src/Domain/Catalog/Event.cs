using Ticketing.Domain.Common;

namespace Ticketing.Domain.Catalog;

/// <summary>A show an organizer sells: one title at one venue, with one or more performances.</summary>
public sealed class Event
{
    public const int MaxTitleLength = 200;
    public const int MaxCategoryLength = 50;
    public const int MaxVenueLength = 200;
    public const int MaxDescriptionLength = 4000;

    private readonly List<Performance> _performances = [];

    private Event()
    {
        Title = string.Empty;
        Category = string.Empty;
        Venue = string.Empty;
        Description = string.Empty;
    }

    public long Id { get; private set; }

    public Guid OrganizerId { get; private set; }

    public string Title { get; private set; }

    public string Category { get; private set; }

    public string Venue { get; private set; }

    public string Description { get; private set; }

    public EventStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    public IReadOnlyList<Performance> Performances => _performances;

    public static Event Create(Guid organizerId, string title, string category, string venue, string description, DateTimeOffset now)
    {
        var e = new Event { OrganizerId = organizerId, Status = EventStatus.Draft, CreatedAt = now };
        e.Update(title, category, venue, description, now);
        return e;
    }

    public bool IsOwnedBy(Guid userId) => OrganizerId == userId;

    public void Update(string title, string category, string venue, string description, DateTimeOffset now)
    {
        Title = Required(title, nameof(Title), MaxTitleLength);
        Category = Required(category, nameof(Category), MaxCategoryLength);
        Venue = Required(venue, nameof(Venue), MaxVenueLength);
        Description = (description ?? string.Empty).Trim();
        if (Description.Length > MaxDescriptionLength)
        {
            throw new DomainException("event.description_too_long", $"The description is longer than {MaxDescriptionLength} characters.");
        }

        UpdatedAt = now;
    }

    /// <summary>Adds a performance; its seat map is checked by <see cref="Performance.Create"/>.</summary>
    public Performance AddPerformance(PerformanceSchedule schedule, PerformanceRules rules, SeatMap seatMap, DateTimeOffset now)
    {
        if (Status == EventStatus.Cancelled)
        {
            throw new DomainException("event.cancelled", "A cancelled event cannot get new performances.");
        }

        var performance = Performance.Create(this, schedule, rules, seatMap);
        _performances.Add(performance);
        UpdatedAt = now;
        return performance;
    }

    /// <summary>Makes the event visible to fans. Needs at least one performance.</summary>
    public void Publish(DateTimeOffset now)
    {
        if (Status == EventStatus.Cancelled)
        {
            throw new DomainException("event.cancelled", "A cancelled event cannot be published.");
        }

        if (_performances.Count == 0)
        {
            throw new DomainException("event.no_performances", "An event needs at least one performance before it is published.");
        }

        if (Status == EventStatus.Published)
        {
            return;
        }

        Status = EventStatus.Published;
        PublishedAt = now;
        UpdatedAt = now;
    }

    private static string Required(string value, string field, int maxLength)
    {
        var trimmed = (value ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException($"event.{field.ToLowerInvariant()}_required", $"{field} is required.");
        }

        if (trimmed.Length > maxLength)
        {
            throw new DomainException($"event.{field.ToLowerInvariant()}_too_long", $"{field} is longer than {maxLength} characters.");
        }

        return trimmed;
    }
}

public enum EventStatus
{
    Draft = 0,
    Published = 1,
    Cancelled = 2,
}
