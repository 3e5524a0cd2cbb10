namespace Ticketing.Application.Payments;

/// <summary>A ticket as its owner sees it.</summary>
public sealed record TicketDto(Guid Id, string OrderId, long PerformanceId, long SeatId, string Label, string Grade, long Price, string Status, DateTimeOffset IssuedAt, DateTimeOffset? CheckedInAt);

/// <summary>The answer to a confirmation: <c>paid</c> with the tickets, or <c>paymentPending</c> while the outcome is being established.</summary>
public sealed record PaymentResultDto(string OrderId, string Status, string? PaymentKey, long Amount, DateTimeOffset? ApprovedAt, IReadOnlyList<TicketDto> Tickets);
