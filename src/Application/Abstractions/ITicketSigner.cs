namespace Ticketing.Application.Abstractions;

/// <summary>
/// Signs the content of a ticket's QR code so that an entry scanner holding the key can check it offline, and
/// reads it back. The content names the ticket, its performance and seat; anything altered fails the check.
/// </summary>
public interface ITicketSigner
{
    string Sign(Guid ticketId, long performanceId, long seatId);

    /// <summary>
    /// Transfer (issue 13.4): the code of a ticket re-issued <paramref name="qrSerial"/> times; serial 0 is the
    /// original code of <see cref="Sign(Guid, long, long)"/>. A code with an older serial no longer admits anyone.
    /// </summary>
    string Sign(Guid ticketId, long performanceId, long seatId, int qrSerial);

    /// <summary>The ticket the content names, or null when it is malformed or its signature does not match.</summary>
    SignedTicket? Verify(string content);
}

public readonly record struct SignedTicket(Guid TicketId, long PerformanceId, long SeatId)
{
    /// <summary>Transfer (issue 13.4): the ticket's QR serial the code was signed with (0 for a ticket never transferred).</summary>
    public int QrSerial { get; init; }
}
