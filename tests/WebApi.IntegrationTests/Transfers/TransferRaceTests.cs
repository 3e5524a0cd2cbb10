using System.Net;
using System.Net.Http.Json;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.WebApi.IntegrationTests.Holds;
using static Ticketing.WebApi.IntegrationTests.Transfers.TransferApi;

namespace Ticketing.WebApi.IntegrationTests.Transfers;

/// <summary>
/// Racing pairs over real HTTP on one SQLite file: exactly one side wins each race, the loser is told why (409, never a
/// 5xx), and the seat never has two live tickets. The rule: an open transfer takes the ticket out of use (no check-in, no
/// refund), so the real races are at the offer (against a check-in or a refund) and at the end (accept against cancel);
/// an accept racing a check-in or a refund is also raced, and the accept must be the one that wins.
/// </summary>
public sealed class TransferRaceTests : IDisposable
{
    private const int Pairs = 6;

    private readonly BookingApiFactory _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Accept_racing_cancel_lets_exactly_one_win()
    {
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var offers = await OffersAsync(bobEmail, 201);

        var races = await Task.WhenAll(offers.Select(async o =>
        {
            var accept = AcceptAsync(bob, o.TransferId);
            var cancel = CancelAsync(o.Sender, o.TransferId);
            return (o, Accept: await accept, Cancel: await cancel);
        }));

        foreach (var (o, accept, cancel) in races)
        {
            Assert.True((accept.StatusCode == HttpStatusCode.OK) ^ (cancel.StatusCode == HttpStatusCode.OK), $"accept {(int)accept.StatusCode}, cancel {(int)cancel.StatusCode}");
            var ticket = await TicketAsync(_api, o.TicketId);
            var transfer = await TransferAsync(_api, o.TransferId);
            Assert.Equal(TicketStatus.Valid, ticket.Status);
            if (accept.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(TicketTransferStatus.Accepted, transfer.Status);
                Assert.Equal(transfer.RecipientId, ticket.FanId);
                Assert.Equal(1, ticket.QrSerial);
                Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
            }
            else
            {
                Assert.Equal(TicketTransferStatus.Cancelled, transfer.Status);
                Assert.Equal(transfer.SenderId, ticket.FanId);
                Assert.Equal(0, ticket.QrSerial);
                Assert.Equal(HttpStatusCode.Conflict, accept.StatusCode);
            }

            Assert.Equal(1, await LiveTicketsOfSeatAsync(_api, ticket.SeatId));
        }
    }

    [Fact]
    public async Task Accept_racing_a_check_in_of_the_old_code_lets_only_the_accept_win()
    {
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var offers = await OffersAsync(bobEmail, 221);
        var staff = await _api.OrganizerAsync();

        var races = await Task.WhenAll(offers.Select(async o =>
        {
            var accept = AcceptAsync(bob, o.TransferId);
            var checkIn = CheckInAsync(staff, o.Code);
            return (o, Accept: await accept, CheckIn: await checkIn);
        }));

        foreach (var (o, accept, checkIn) in races)
        {
            Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, checkIn.StatusCode);
            Assert.Contains(await CodeAsync(checkIn), new[] { "ticket.transfer_pending", "ticket.superseded" });
            var ticket = await TicketAsync(_api, o.TicketId);
            Assert.Equal(TicketStatus.Valid, ticket.Status);
            Assert.Null(ticket.CheckedInAt);
        }
    }

    [Fact]
    public async Task Offer_racing_a_check_in_lets_exactly_one_win()
    {
        var (_, bobEmail) = await FanAsync(_api, "bob");
        var staff = await _api.OrganizerAsync();
        var tickets = await TicketsAsync(241);

        var races = await Task.WhenAll(tickets.Select(async t =>
        {
            var offer = OfferAsync(t.Holder, t.TicketId, bobEmail, 0);
            var checkIn = CheckInAsync(staff, t.Code);
            return (t, Offer: await offer, CheckIn: await checkIn);
        }));

        foreach (var (t, offer, checkIn) in races)
        {
            Assert.True((offer.StatusCode == HttpStatusCode.Created) ^ (checkIn.StatusCode == HttpStatusCode.OK), $"offer {(int)offer.StatusCode}, check-in {(int)checkIn.StatusCode}");
            var ticket = await TicketAsync(_api, t.TicketId);
            if (offer.StatusCode == HttpStatusCode.Created)
            {
                Assert.Equal(TicketStatus.TransferPending, ticket.Status);
                Assert.Equal("ticket.transfer_pending", await CodeAsync(checkIn));
            }
            else
            {
                Assert.Equal(TicketStatus.CheckedIn, ticket.Status);
                Assert.Equal("ticket.already_checked_in", await CodeAsync(offer));
            }
        }
    }

    [Fact]
    public async Task Accept_racing_a_refund_of_the_seat_lets_only_the_accept_win()
    {
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var offers = await OffersAsync(bobEmail, 261);

        var races = await Task.WhenAll(offers.Select(async o =>
        {
            var accept = AcceptAsync(bob, o.TransferId);
            var refund = o.Sender.PostAsJsonAsync($"/api/orders/{o.OrderId}/cancellation", new { });
            return (o, Accept: await accept, Refund: await refund);
        }));

        foreach (var (o, accept, refund) in races)
        {
            Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, refund.StatusCode);
            Assert.Contains(await CodeAsync(refund), new[] { "ticket.transfer_pending", "ticket.transferred" });
            Assert.Equal(TicketStatus.Valid, (await TicketAsync(_api, o.TicketId)).Status);
            Assert.Equal(["DONE"], Simulator().StatusesOf(o.OrderId));
        }
    }

    [Fact]
    public async Task Offer_racing_a_refund_lets_exactly_one_win()
    {
        var (_, bobEmail) = await FanAsync(_api, "bob");
        var tickets = await TicketsAsync(281);

        var races = await Task.WhenAll(tickets.Select(async t =>
        {
            var offer = OfferAsync(t.Holder, t.TicketId, bobEmail, 0);
            var refund = t.Holder.PostAsJsonAsync($"/api/orders/{t.OrderId}/cancellation", new { });
            return (t, Offer: await offer, Refund: await refund);
        }));

        foreach (var (t, offer, refund) in races)
        {
            Assert.True((offer.StatusCode == HttpStatusCode.Created) ^ (refund.StatusCode == HttpStatusCode.OK), $"offer {(int)offer.StatusCode}, refund {(int)refund.StatusCode}");
            var ticket = await TicketAsync(_api, t.TicketId);
            if (offer.StatusCode == HttpStatusCode.Created)
            {
                Assert.Equal(TicketStatus.TransferPending, ticket.Status);
                Assert.Equal(HttpStatusCode.Conflict, refund.StatusCode);
                Assert.Equal(["DONE"], Simulator().StatusesOf(t.OrderId));
            }
            else
            {
                Assert.Equal(TicketStatus.Voided, ticket.Status);
                Assert.Equal(HttpStatusCode.Conflict, offer.StatusCode);
                Assert.Equal(["CANCELED"], Simulator().StatusesOf(t.OrderId));
            }
        }
    }

    private Ticketing.Infrastructure.Payments.TossSimulator Simulator() =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Ticketing.Infrastructure.Payments.TossSimulator>(_api.Services);

    private async Task<List<(HttpClient Holder, string OrderId, Guid TicketId, string Code)>> TicketsAsync(long firstSeat)
    {
        var tickets = new List<(HttpClient, string, Guid, string)>();
        for (var seat = firstSeat; seat < firstSeat + Pairs; seat++)
        {
            var (holder, _) = await FanAsync(_api, $"holder{seat}");
            var (orderId, ticketId, _) = await PaidTicketAsync(holder, seat);
            tickets.Add((holder, orderId, ticketId, await QrAsync(holder, ticketId)));
        }

        return tickets;
    }

    private async Task<List<(HttpClient Sender, string OrderId, Guid TicketId, Guid TransferId, string Code)>> OffersAsync(string recipientEmail, long firstSeat)
    {
        var offers = new List<(HttpClient, string, Guid, Guid, string)>();
        foreach (var (holder, orderId, ticketId, code) in await TicketsAsync(firstSeat))
        {
            offers.Add((holder, orderId, ticketId, await OfferedAsync(holder, ticketId, recipientEmail, 0), code));
        }

        return offers;
    }
}
