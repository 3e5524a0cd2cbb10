using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Application.Transfers;
using Ticketing.Domain.Tickets;
using Ticketing.WebApi.IntegrationTests.Payments;
using static Ticketing.WebApi.IntegrationTests.Transfers.TransferApi;

namespace Ticketing.WebApi.IntegrationTests.Transfers;

/// <summary>
/// Paid transfers against the fake Toss HTTP server with its faults: an approval whose answers are all lost is found by
/// reconciliation (the ticket moves, the sender is paid back, one charge); a payback whose answer is lost is resent
/// under the same key and refunded once.
/// </summary>
public sealed class TransferPaymentFaultTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task An_approval_whose_answers_are_lost_is_completed_by_reconciliation_with_one_charge_and_one_payback()
    {
        var (orderId, ticketId, price, bob, transferId) = await PricedOfferAsync(501);
        var key = _p.Toss.Simulator.Authorize(transferId.ToString("N"), price, "Transfer");
        _p.Toss.Faults = _ => new Fault(FaultKind.ResetAfterProcessing);

        var response = await bob.PostAsJsonAsync($"/api/transfers/{transferId}/payment", new { paymentKey = key, orderId = transferId.ToString("N"), amount = price });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(TicketTransferStatus.PaymentPending, (await TransferAsync(_p.Api, transferId)).Status);
        _p.Toss.Faults = null;
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(3));
        var report = await _p.SendAsync(new ReconcileTransfers());

        Assert.Equal(1, report.Accepted);
        var transfer = await TransferAsync(_p.Api, transferId);
        Assert.Equal((TicketTransferStatus.Accepted, PaybackStatus.Done), (transfer.Status, transfer.PaybackStatus));
        Assert.Equal(transfer.RecipientId, (await TicketAsync(_p.Api, ticketId)).FanId);
        Assert.Equal(2, _p.Toss.Simulator.Charges);
        Assert.Equal(1, _p.Toss.Simulator.Refunds);
        Assert.Equal(["DONE"], _p.Toss.Simulator.StatusesOf(transferId.ToString("N")));
        Assert.Equal(["CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));
    }

    [Fact]
    public async Task A_payback_whose_answer_is_lost_is_resent_under_the_same_key_and_refunded_once()
    {
        var (orderId, ticketId, price, bob, transferId) = await PricedOfferAsync(511, less: 10_000);
        var key = _p.Toss.Simulator.Authorize(transferId.ToString("N"), price - 10_000, "Transfer");
        _p.Toss.Faults = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal) ? new Fault(FaultKind.ResetAfterProcessing) : Fault.None;

        var response = await bob.PostAsJsonAsync($"/api/transfers/{transferId}/payment", new { paymentKey = key, orderId = transferId.ToString("N"), amount = price - 10_000 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("due", (await PaymentApi.JsonAsync(response)).GetProperty("payback").GetString());
        Assert.Equal(TicketStatus.Valid, (await TicketAsync(_p.Api, ticketId)).Status);
        _p.Toss.Faults = null;
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(3));
        var report = await _p.SendAsync(new ReconcileTransfers());

        Assert.Equal(1, report.PaidBack);
        Assert.Equal(PaybackStatus.Done, (await TransferAsync(_p.Api, transferId)).PaybackStatus);
        Assert.Equal(1, _p.Toss.Simulator.Refunds);
        Assert.Equal(["PARTIAL_CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));
        var cancelKeys = _p.Toss.Received.Where(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)).Select(r => r.IdempotencyKey).Distinct().ToList();
        Assert.Equal([$"cancel:transfer-{transferId:N}"], cancelKeys);
    }

    private async Task<(string OrderId, Guid TicketId, long Price, HttpClient Bob, Guid TransferId)> PricedOfferAsync(long seat, long less = 0)
    {
        var (alice, _) = await FanAsync(_p.Api, "alice");
        var (bob, bobEmail) = await FanAsync(_p.Api, "bob");
        var (orderId, amount) = await PaymentApi.HoldAsync(alice, seat);
        var paid = await PaymentApi.ConfirmAsync(alice, _p.Checkout(orderId, amount), orderId, amount);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var ticketId = (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tickets")[0].GetProperty("id").GetGuid();
        return (orderId, ticketId, amount, bob, await OfferedAsync(alice, ticketId, bobEmail, amount - less));
    }
}
