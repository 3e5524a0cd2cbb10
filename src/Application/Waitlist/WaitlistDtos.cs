using Ticketing.Application.Orders;

namespace Ticketing.Application.Waitlist;

/// <summary>An offer to a waitlisted fan: a pending order in their name, paid through the normal confirm flow before <see cref="ExpiresAt"/>.</summary>
public sealed record WaitlistOfferDto(
    string OrderId,
    long PerformanceId,
    string Status,
    long TotalAmount,
    DateTimeOffset OfferedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<OrderSeatDto> Seats);

/// <summary>
/// The fan's place on a performance's waitlist. <see cref="Position"/> counts the fans still waiting ahead plus one
/// (null once not waiting); <see cref="Offers"/> lists every offer made to the fan for this performance, newest first.
/// </summary>
public sealed record WaitlistEntryDto(
    long PerformanceId,
    string Status,
    string? GradeCode,
    int Seats,
    bool Together,
    int SeatsOffered,
    DateTimeOffset JoinedAt,
    int? Position,
    IReadOnlyList<WaitlistOfferDto> Offers);

/// <summary>How many fans wait (and for how many seats) for one grade; <see cref="GradeCode"/> null counts "any grade".</summary>
public sealed record WaitlistGradeLengthDto(string? GradeCode, int Fans, int Seats);

/// <summary>The organizer's view of a performance's waitlist.</summary>
public sealed record WaitlistLengthsDto(
    long PerformanceId,
    string ReturnedSeats,
    int WaitlistOfferMinutes,
    int Fans,
    int Seats,
    int OpenOffers,
    IReadOnlyList<WaitlistGradeLengthDto> Grades);
