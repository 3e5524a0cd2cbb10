using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Transfers;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.WebApi.IntegrationTests.Holds;
using Ticketing.WebApi.IntegrationTests.Payments;
using static Ticketing.WebApi.IntegrationTests.Transfers.TransferApi;

namespace Ticketing.WebApi.IntegrationTests.Transfers;

/// <summary>
/// Face-value transfer over real HTTP and a real SQLite file, paid through the embedded simulated provider: the ticket
/// moves and only its new code admits, the price cap, paid transfers with the sender's payback, the organizer's limit,
/// cancel and expiry, and who may see what.
/// </summary>
public sealed class TransferTests : IDisposable
{
    private readonly BookingApiFactory _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task A_free_transfer_moves_the_ticket_and_only_the_new_code_admits()
    {
        var (alice, _) = await FanAsync(_api, "alice");
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var (orderId, ticketId, _) = await PaidTicketAsync(alice, 101);
        var oldCode = await QrAsync(alice, ticketId);

        var transferId = await OfferedAsync(alice, ticketId, bobEmail.ToUpperInvariant(), 0);

        // While offered, the ticket admits nobody and is not refunded.
        var staff = await _api.OrganizerAsync();
        Assert.Equal("ticket.transfer_pending", await CodeAsync(await CheckInAsync(staff, oldCode)));
        Assert.Equal("ticket.transfer_pending", await CodeAsync(await alice.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { })));
        var received = await bob.GetFromJsonAsync<JsonElement>("/api/me/transfers");
        Assert.Equal(transferId, Assert.Single(received.GetProperty("received").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal("sent", Assert.Single((await alice.GetFromJsonAsync<JsonElement>("/api/me/transfers")).GetProperty("sent").EnumerateArray()).GetProperty("direction").GetString());

        var accepted = await AcceptAsync(bob, transferId);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("accepted", (await PaymentApi.JsonAsync(accepted)).GetProperty("status").GetString());
        Assert.Equal(0, (await alice.GetFromJsonAsync<JsonElement>("/api/me/tickets")).GetProperty("totalCount").GetInt32());
        var mine = Assert.Single((await bob.GetFromJsonAsync<JsonElement>("/api/me/tickets")).GetProperty("items").EnumerateArray());
        Assert.Equal(ticketId, mine.GetProperty("id").GetGuid());
        Assert.Equal(0, mine.GetProperty("price").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/tickets/{ticketId}")).StatusCode);
        Assert.Equal(1, await LiveTicketsOfSeatAsync(_api, 101));

        var newCode = await QrAsync(bob, ticketId);
        Assert.NotEqual(oldCode, newCode);
        var old = await CheckInAsync(staff, oldCode);
        Assert.Equal(HttpStatusCode.Conflict, old.StatusCode);
        Assert.Equal("ticket.superseded", await CodeAsync(old));
        Assert.Equal(HttpStatusCode.OK, (await CheckInAsync(staff, newCode)).StatusCode);

        // Afterwards: the sender can neither withdraw it nor refund the seat through their order.
        Assert.Equal("transfer.already_accepted", await CodeAsync(await CancelAsync(alice, transferId)));
        Assert.Equal(HttpStatusCode.OK, (await AcceptAsync(bob, transferId)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { })).StatusCode);
    }

    [Fact]
    public async Task The_price_is_capped_at_what_was_paid_for_the_seat()
    {
        var (alice, aliceEmail) = await FanAsync(_api, "alice");
        var (_, bobEmail) = await FanAsync(_api, "bob");
        var (_, ticketId, price) = await PaidTicketAsync(alice, 111);

        var above = await OfferAsync(alice, ticketId, bobEmail, price + 1);
        Assert.Equal(HttpStatusCode.BadRequest, above.StatusCode);
        Assert.Equal("transfer.above_face_value", await CodeAsync(above));
        Assert.Equal(HttpStatusCode.BadRequest, (await OfferAsync(alice, ticketId, bobEmail, -1)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await OfferAsync(alice, ticketId, "not-an-email", 0)).StatusCode);
        Assert.Equal("transfer.to_self", await CodeAsync(await OfferAsync(alice, ticketId, aliceEmail, 0)));
        Assert.Equal(TicketStatus.Valid, (await TicketAsync(_api, ticketId)).Status);

        var atFace = await OfferAsync(alice, ticketId, bobEmail, price);
        Assert.Equal(HttpStatusCode.Created, atFace.StatusCode);
        Assert.Equal(price, (await PaymentApi.JsonAsync(atFace)).GetProperty("price").GetInt64());
        Assert.Equal("transfer.already_open", await CodeAsync(await OfferAsync(alice, ticketId, bobEmail, 0)));
    }

    [Fact]
    public async Task A_paid_transfer_survives_a_decline_then_moves_the_ticket_and_pays_the_sender_back()
    {
        var (alice, _) = await FanAsync(_api, "alice");
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var (orderId, ticketId, price) = await PaidTicketAsync(alice, 121);
        var asked = price - 1000;
        var transferId = await OfferedAsync(alice, ticketId, bobEmail, asked);
        Assert.Equal("transfer.payment_required", await CodeAsync(await AcceptAsync(bob, transferId)));

        // A declined card: nothing charged, the ticket stays the sender's, the offer stays open.
        var declined = await bob.PostAsJsonAsync($"/api/transfers/{transferId}/simulated/checkout", new { outcome = "decline" });
        var declinedBody = await declined.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(asked, declinedBody.GetProperty("amount").GetInt64());
        var refused = await bob.PostAsync($"/api/transfers/{transferId}/payment", JsonContent.Create(declinedBody));
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Equal("REJECT_CARD_COMPANY", (await PaymentApi.JsonAsync(refused)).GetProperty("tossCode").GetString());
        Assert.Equal(TicketTransferStatus.Offered, (await TransferAsync(_api, transferId)).Status);
        Assert.Equal(TicketStatus.TransferPending, (await TicketAsync(_api, ticketId)).Status);
        Assert.NotEqual(bob.DefaultRequestHeaders.Authorization, alice.DefaultRequestHeaders.Authorization);

        // A wrong amount is refused before the provider is asked.
        var checkout = await (await bob.PostAsJsonAsync($"/api/transfers/{transferId}/simulated/checkout", new { })).Content.ReadFromJsonAsync<JsonElement>();
        var wrong = await bob.PostAsJsonAsync($"/api/transfers/{transferId}/payment", new { paymentKey = checkout.GetProperty("paymentKey").GetString(), orderId = checkout.GetProperty("orderId").GetString(), amount = asked + 1 });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var paid = await bob.PostAsync($"/api/transfers/{transferId}/payment", JsonContent.Create(checkout));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var body = await PaymentApi.JsonAsync(paid);
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        Assert.Equal("done", body.GetProperty("payback").GetString());
        var ticket = await TicketAsync(_api, ticketId);
        Assert.Equal(asked, ticket.Price);
        Assert.Equal(1, ticket.TransferCount);
        Assert.Equal(1, await LiveTicketsOfSeatAsync(_api, 121));

        // The sender got the price back on their own payment, at the provider and in our books; the recipient paid it once.
        await using var scope = _api.Services.CreateAsyncScope();
        var gateway = scope.ServiceProvider.GetRequiredService<IPaymentGateway>();
        var senders = await gateway.GetByOrderIdAsync(orderId);
        Assert.Equal(price - asked, senders.Payment!.BalanceAmount);
        Assert.Equal("PARTIAL_CANCELED", senders.Payment.Status);
        var payment = await scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Persistence.AppDbContext>().Payments.AsNoTracking().SingleAsync(p => p.OrderId == Guid.Parse(orderId));
        Assert.Equal(price - asked, payment.BalanceAmount);
        Assert.Equal(PaymentStatus.PartiallyCancelled, payment.Status);
        var recipients = await gateway.GetByOrderIdAsync(transferId.ToString("N"));
        Assert.Equal(GatewayOutcomeKind.Approved, recipients.Kind);
        Assert.Equal(asked, recipients.Payment!.TotalAmount);

        // The same payment again answers the same, without a second charge or a second payback.
        var again = await bob.PostAsync($"/api/transfers/{transferId}/payment", JsonContent.Create(checkout));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(price - asked, (await gateway.GetByOrderIdAsync(orderId)).Payment!.BalanceAmount);
    }

    [Fact]
    public async Task An_unknown_payment_outcome_keeps_the_offer_locked_until_reconciliation_reopens_it()
    {
        var (alice, _) = await FanAsync(_api, "alice");
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var (orderId, ticketId, price) = await PaidTicketAsync(alice, 131);
        var transferId = await OfferedAsync(alice, ticketId, bobEmail, price);
        var checkout = await (await bob.PostAsJsonAsync($"/api/transfers/{transferId}/simulated/checkout", new { outcome = "unknown" })).Content.ReadFromJsonAsync<JsonElement>();

        var pending = await bob.PostAsync($"/api/transfers/{transferId}/payment", JsonContent.Create(checkout));

        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        Assert.Equal("paymentPending", (await PaymentApi.JsonAsync(pending)).GetProperty("status").GetString());
        Assert.Equal("transfer.payment_in_progress", await CodeAsync(await CancelAsync(alice, transferId)));

        // Inside the provider's confirmation window "not approved" is no answer yet; after it, the offer reopens.
        _api.Clock.Advance(TimeSpan.FromMinutes(3));
        var early = await SendAsync(_api, new ReconcileTransfers());
        Assert.Equal(1, early.Deferred);
        Assert.Equal(TicketTransferStatus.PaymentPending, (await TransferAsync(_api, transferId)).Status);
        _api.Clock.Advance(TimeSpan.FromMinutes(10));
        var late = await SendAsync(_api, new ReconcileTransfers());
        Assert.Equal(1, late.Reopened);
        Assert.Equal(TicketTransferStatus.Offered, (await TransferAsync(_api, transferId)).Status);
        var ticket = await TicketAsync(_api, ticketId);
        Assert.Equal(TicketStatus.TransferPending, ticket.Status);
        Assert.Equal(0, ticket.TransferCount);

        // Nothing was taken from anyone: the sender's payment is whole and the recipient has no approved payment.
        await using var scope = _api.Services.CreateAsyncScope();
        var gateway = scope.ServiceProvider.GetRequiredService<IPaymentGateway>();
        Assert.Equal(price, (await gateway.GetByOrderIdAsync(orderId)).Payment!.BalanceAmount);
        Assert.NotEqual(GatewayOutcomeKind.Approved, (await gateway.GetByOrderIdAsync(transferId.ToString("N"))).Kind);
    }

    [Fact]
    public async Task The_organizer_limits_how_often_a_ticket_changes_hands()
    {
        var (alice, _) = await FanAsync(_api, "alice");
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var (_, carolEmail) = await FanAsync(_api, "carol");
        var (_, ticketId, _) = await PaidTicketAsync(alice, 141);
        var (_, secondTicket, _) = await PaidTicketAsync(alice, 142);

        // The default: once.
        Assert.Equal(HttpStatusCode.OK, (await AcceptAsync(bob, await OfferedAsync(alice, ticketId, bobEmail, 0))).StatusCode);
        var again = await OfferAsync(bob, ticketId, carolEmail, 0);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("transfer.limit_reached", await CodeAsync(again));

        var organizer = await _api.OrganizerAsync();
        Assert.Equal(HttpStatusCode.OK, (await SetTransferLimitAsync(organizer, 0)).StatusCode);
        Assert.Equal("transfer.disabled", await CodeAsync(await OfferAsync(alice, secondTicket, bobEmail, 0)));
        Assert.Equal(HttpStatusCode.BadRequest, (await SetTransferLimitAsync(organizer, 11)).StatusCode);

        var two = await SetTransferLimitAsync(organizer, 2);
        Assert.Equal(2, (await PaymentApi.JsonAsync(two)).GetProperty("maxTransfersPerTicket").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await OfferAsync(bob, ticketId, carolEmail, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SetTransferLimitAsync(bob, 5)).StatusCode);
    }

    [Fact]
    public async Task The_sender_cancels_before_acceptance_and_an_unanswered_offer_lapses()
    {
        var (alice, aliceEmail) = await FanAsync(_api, "alice");
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var (_, ticketId, _) = await PaidTicketAsync(alice, 151);
        var code = await QrAsync(alice, ticketId);
        var transferId = await OfferedAsync(alice, ticketId, bobEmail, 0);

        var cancelled = await CancelAsync(alice, transferId);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await PaymentApi.JsonAsync(cancelled)).GetProperty("status").GetString());
        Assert.Equal("transfer.cancelled", await CodeAsync(await AcceptAsync(bob, transferId)));
        Assert.Equal(TicketStatus.Valid, (await TicketAsync(_api, ticketId)).Status);
        Assert.Equal(code, await QrAsync(alice, ticketId));

        // A new offer lapses at its deadline: reconciliation expires it and the ticket admits its holder again.
        var lapsing = await OfferedAsync(alice, ticketId, bobEmail, 0);
        _api.Clock.Advance(TransferAccessDuration + TimeSpan.FromSeconds(1));
        var report = await SendAsync(_api, new ReconcileTransfers());
        Assert.Equal(1, report.Expired);
        Assert.Equal(TicketTransferStatus.Expired, (await TransferAsync(_api, lapsing)).Status);
        Assert.Equal(TicketStatus.Valid, (await TicketAsync(_api, ticketId)).Status);
        await BookingApiFactory.LogInAsync(bob, bobEmail, "fan-password-1");
        Assert.Equal("transfer.expired", await CodeAsync(await AcceptAsync(bob, lapsing)));
        await BookingApiFactory.LogInAsync(alice, aliceEmail, "fan-password-1");
        Assert.Equal(HttpStatusCode.OK, (await CheckInAsync(await _api.OrganizerAsync(), code)).StatusCode);
    }

    [Fact]
    public async Task Only_the_sender_and_the_recipient_see_or_move_a_transfer()
    {
        var (alice, _) = await FanAsync(_api, "alice");
        var (bob, bobEmail) = await FanAsync(_api, "bob");
        var (mallory, malloryEmail) = await FanAsync(_api, "mallory");
        var (_, ticketId, price) = await PaidTicketAsync(alice, 161);
        var transferId = await OfferedAsync(alice, ticketId, bobEmail, price);

        Assert.Equal(HttpStatusCode.NotFound, (await OfferAsync(mallory, ticketId, malloryEmail, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mallory.GetAsync($"/api/transfers/{transferId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AcceptAsync(mallory, transferId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CancelAsync(mallory, transferId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mallory.PostAsJsonAsync($"/api/transfers/{transferId}/simulated/checkout", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mallory.PostAsJsonAsync($"/api/transfers/{transferId}/payment", new { paymentKey = "k", orderId = transferId.ToString("N"), amount = price })).StatusCode);
        var lists = await mallory.GetFromJsonAsync<JsonElement>("/api/me/transfers");
        Assert.Equal(0, lists.GetProperty("received").GetArrayLength() + lists.GetProperty("sent").GetArrayLength());

        // The recipient cannot withdraw it; the sender cannot take their own offer.
        Assert.Equal(HttpStatusCode.NotFound, (await CancelAsync(bob, transferId)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsJsonAsync($"/api/transfers/{transferId}/simulated/checkout", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/api/transfers/{transferId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/transfers/{transferId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.CreateClient().GetAsync("/api/me/transfers")).StatusCode);
    }

    private static TimeSpan TransferAccessDuration => TimeSpan.FromDays(3);

    private static async Task<HttpResponseMessage> SetTransferLimitAsync(HttpClient client, int limit)
    {
        var performance = (await (await client.GetAsync("/api/performances/1")).Content.ReadFromJsonAsync<JsonElement>());
        return await client.PutAsJsonAsync("/api/organizer/performances/1", new
        {
            startsAt = performance.GetProperty("startsAt").GetDateTimeOffset(),
            salesOpenAt = performance.GetProperty("salesOpenAt").GetDateTimeOffset(),
            salesCloseAt = performance.GetProperty("salesCloseAt").GetDateTimeOffset(),
            holdSeconds = performance.GetProperty("holdSeconds").GetInt32(),
            maxSeatsPerOrder = performance.GetProperty("maxSeatsPerOrder").GetInt32(),
            maxSeatsPerFan = performance.GetProperty("maxSeatsPerFan").GetInt32(),
            requiresQueuePass = false,
            maxTransfersPerTicket = limit,
        });
    }
}
