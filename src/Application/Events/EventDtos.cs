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
    IReadOnlyList<GradeDto> Grades,
    // ---- waitlist (issue 13.1) ----
    string ReturnedSeats = "Public",
    int WaitlistOfferMinutes = Ticketing.Domain.Catalog.Performance.DefaultWaitlistOfferMinutes)
    // ---- end waitlist ----
{
    // --- Guest booking (issue 13.3) ---

    /// <summary>Open to guests: fans without an account book with a verified phone.</summary>
    public bool GuestBooking { get; init; }
    // --- end guest booking ---

    // Transfer (issue 13.4)
    public int MaxTransfersPerTicket { get; init; }
}

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
