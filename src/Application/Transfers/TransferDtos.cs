using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Transfers;

/// <summary>
/// A transfer as its sender or its recipient sees it. <c>orderId</c> is the id the payment provider knows a priced
/// transfer by (the widget's <c>orderId</c>); <c>direction</c> is <c>sent</c> or <c>received</c> from the caller's side.
/// </summary>
public sealed record TicketTransferDto(
    Guid Id,
    string OrderId,
    Guid TicketId,
    long PerformanceId,
    long SeatId,
    string Seat,
    string EventTitle,
    DateTimeOffset PerformanceStartsAt,
    long Price,
    string Status,
    string Direction,
    string RecipientEmail,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt,
    string Payback);

/// <summary>The caller's transfers: offers made to them and offers they made.</summary>
public sealed record MyTransfersDto(IReadOnlyList<TicketTransferDto> Received, IReadOnlyList<TicketTransferDto> Sent);

public static class TransferMapping
{
    public static string StatusName(this TicketTransferStatus status) => status switch
    {
        TicketTransferStatus.Offered => "offered",
        TicketTransferStatus.PaymentPending => "paymentPending",
        TicketTransferStatus.Accepted => "accepted",
        TicketTransferStatus.Cancelled => "cancelled",
        TicketTransferStatus.Expired => "expired",
        _ => status.ToString(),
    };

    public static string PaybackName(this PaybackStatus status) => status switch
    {
        PaybackStatus.None => "none",
        PaybackStatus.Due => "due",
        PaybackStatus.Done => "done",
        PaybackStatus.NeedsAttention => "needsAttention",
        _ => status.ToString(),
    };

    public static TicketTransferDto ToDto(this TicketTransfer t, Guid callerId, string eventTitle, DateTimeOffset startsAt) => new(
        t.Id,
        t.Number,
        t.TicketId,
        t.PerformanceId,
        t.SeatId,
        t.SeatLabel,
        eventTitle,
        startsAt,
        t.Price,
        t.Status.StatusName(),
        t.SenderId == callerId ? "sent" : "received",
        t.RecipientEmail,
        t.CreatedAt,
        t.ExpiresAt,
        t.AcceptedAt,
        t.PaybackStatus.PaybackName());
}
