using Ticketing.Application.Orders;
using Ticketing.Application.Tickets;

namespace Ticketing.Application.Guests;

/// <param name="BookingNumber">As pages show it: <c>XXXXX-XXXXX</c>.</param>
/// <param name="Phone">Masked: all but the last four digits.</param>
/// <param name="Tickets">The order's tickets with their signed QR content (none before payment).</param>
public sealed record GuestBookingDto(
    string BookingNumber,
    string Name,
    string Phone,
    string Email,
    DateTimeOffset CreatedAt,
    OrderDto Order,
    IReadOnlyList<TicketDetailsDto> Tickets);
