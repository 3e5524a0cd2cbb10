namespace Ticketing.Application.Abstractions;

/// <summary>
/// Signs the content of a ticket's QR code so that an entry scanner holding the key can check it offline, and
/// reads it back. The content names the ticket, its performance and seat; anything altered fails the check.
/// </summary>
public interface ITicketSigner
{
    string Sign(Guid ticketId, long performanceId, long seatId);

    /// <summary>The ticket the content names, or null when it is malformed or its signature does not match.</summary>
    SignedTicket? Verify(string content);
}

public readonly record struct SignedTicket(Guid TicketId, long PerformanceId, long SeatId);
