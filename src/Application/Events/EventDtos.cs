using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Events;

public sealed record GradeDto(string Code, string Name, long Price, string? Color);

public sealed record PerformanceDto(
    long Id,
    long EventId,
    DateTimeOffset StartsAt,
    DateTimeOffset SalesOpenAt,
    DateTimeOffset SalesCloseAt,
    int HoldSeconds,
    int MaxSeatsPerOrder,
    int MaxSeatsPerFan,
    bool RequiresQueuePass,
    string? WaitingRoomId,
    int SeatCount,
    IReadOnlyList<GradeDto> Grades);

public sealed record EventDetailsDto(
    long Id,
    string Title,
    string Category,
    string Venue,
    string Description,
    string Status,
    Guid OrganizerId,
    DateTimeOffset? PublishedAt,
    IReadOnlyList<PerformanceDto> Performances);

public sealed record EventSummaryDto(
    long Id,
    string Title,
    string Category,
    string Venue,
    string Status,
    DateTimeOffset? FirstPerformanceAt,
    DateTimeOffset? LastPerformanceAt,
    long? MinPrice,
    long? MaxPrice);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public int TotalPages => PageSize == 0 ? 0 : (TotalCount + PageSize - 1) / PageSize;
}

public static class EventMapping
{
    public static string StatusName(this EventStatus status) => status.ToString().ToLowerInvariant();

    public static PerformanceDto ToDto(this Performance p) => new(
        p.Id,
        p.EventId,
        p.StartsAt,
        p.SalesOpenAt,
        p.SalesCloseAt,
        (int)p.HoldDuration.TotalSeconds,
        p.MaxSeatsPerOrder,
        p.MaxSeatsPerFan,
        p.RequiresQueuePass,
        p.WaitingRoomId,
        p.SeatCount,
        p.Grades.OrderByDescending(g => g.Price).Select(g => new GradeDto(g.Code, g.Name, g.Price, g.Color)).ToList());

    public static EventDetailsDto ToDetailsDto(this Event e) => new(
        e.Id,
        e.Title,
        e.Category,
        e.Venue,
        e.Description,
        e.Status.StatusName(),
        e.OrganizerId,
        e.PublishedAt,
        e.Performances.OrderBy(p => p.StartsAt).Select(p => p.ToDto()).ToList());
}
