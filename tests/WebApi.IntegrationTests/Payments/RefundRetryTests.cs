using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Payments;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>Refunds whose outcome is unknown are resent by <see cref="RetryPendingRefunds"/> under their first key.</summary>
public sealed class RefundRetryTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync(api => api.With("Payments:RefundMaxAttempts", "3"));

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task A_refund_whose_answer_timed_out_is_resent_with_the_same_key_and_refunded_exactly_once()
    {
        var (fan, orderId) = await PaidOrderAsync(4701, 4702);
        // Toss executes the cancel, but only after the client's per-try timeout; the retries find the key in flight.
        _p.Toss.Faults = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal) ? new Fault(FaultKind.Delay, TimeSpan.FromMilliseconds(1500)) : Fault.None;

        var first = await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("refund.pending", (await PaymentApi.JsonAsync(first)).GetProperty("code").GetString());
        await _p.Toss.WhenIdleAsync(TimeSpan.FromSeconds(30));
        _p.Toss.Faults = null;
        Assert.Equal(1, _p.Toss.Simulator.Refunds);
        var unknown = await RefundAsync(orderId);
        Assert.Equal((RefundStatus.OutcomeUnknown, 1), (unknown.Status, unknown.Attempts));
        Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(orderId)).Status);

        Assert.Equal(0, (await _p.SendAsync(new RetryPendingRefunds())).Total);
        _p.Api.Clock.Advance(unknown.NextAttemptAt!.Value - _p.Api.Clock.GetUtcNow());
        var report = await _p.SendAsync(new RetryPendingRefunds());

        Assert.Equal(new RefundRetryReport(Refunded: 1, Refused: 0, StillUnknown: 0, Abandoned: 0, Skipped: 0), report);
        Assert.Equal(1, _p.Toss.Simulator.Refunds);
        Assert.Equal(["CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));
        var cancels = _p.Toss.Received.Where(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)).ToList();
        Assert.True(cancels.Count >= 2);
        Assert.All(cancels, r => Assert.Equal($"cancel:{unknown.Id:N}", r.IdempotencyKey));
        var refund = await RefundAsync(orderId);
        Assert.Equal(RefundStatus.Done, refund.Status);
        Assert.Null(refund.NextAttemptAt);
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.All(order.Lines, l => Assert.False(l.IsLive));
        Assert.All(await _p.QueryAsync(db => db.Tickets.AsNoTracking().Where(t => t.OrderId == order.Id).ToListAsync()), t => Assert.Equal(TicketStatus.Voided, t.Status));
        Assert.Equal(PaymentStatus.Cancelled, (await _p.QueryAsync(db => db.Payments.SingleAsync(x => x.OrderId == order.Id))).Status);
        Assert.Empty(await HoldersAsync(4701, 4702));
        Assert.Equal(0, (await _p.SendAsync(new RetryPendingRefunds())).Total);
    }

    [Fact]
    public async Task A_refund_toss_never_answers_is_abandoned_after_the_last_attempt_and_refunds_nothing()
    {
        var (fan, orderId) = await PaidOrderAsync(4711);
        _p.Toss.Faults = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal) ? new Fault(FaultKind.ResetBeforeProcessing) : Fault.None;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { })).StatusCode);
        var reports = new List<RefundRetryReport>();
        for (var i = 0; i < 2; i++)
        {
            _p.Api.Clock.Advance((await RefundAsync(orderId)).NextAttemptAt!.Value - _p.Api.Clock.GetUtcNow());
            reports.Add(await _p.SendAsync(new RetryPendingRefunds()));
        }

        Assert.Equal([new RefundRetryReport(0, 0, 1, 0, 0), new RefundRetryReport(0, 0, 0, 1, 0)], reports);
        var refund = await RefundAsync(orderId);
        Assert.Equal((RefundStatus.Abandoned, 3, "NETWORK"), (refund.Status, refund.Attempts, refund.FailureCode));
        Assert.Equal(0, _p.Toss.Simulator.Refunds);
        Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(orderId)).Status);
        _p.Api.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await _p.SendAsync(new RetryPendingRefunds())).Total);

        await Holds.BookingApiFactory.LogInAsync(fan, "refund-retry-4711@test.ticketing", "fan-password-1");
        var again = await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("refund.needs_attention", (await PaymentApi.JsonAsync(again)).GetProperty("code").GetString());
        var admin = await Holds.BookingApiFactory.LogInAsync(_p.Api.CreateClient(), "admin@test.ticketing", "admin-test-1");
        var overview = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/admin/overview");
        Assert.Equal(1, overview.GetProperty("refundsByStatus").GetProperty("abandoned").GetInt32());
    }

    [Fact]
    public async Task A_refund_toss_refuses_on_a_retry_is_failed_with_its_code_and_the_tickets_stay_valid()
    {
        var (fan, orderId) = await PaidOrderAsync(4721);
        _p.Toss.Faults = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal) ? new Fault(FaultKind.ServerError) : Fault.None;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { })).StatusCode);

        // While the refund's outcome is unknown the ticket admits nobody: the fan cannot be refunded and let in.
        var ticketId = (await _p.QueryAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.OrderId == Guid.Parse(orderId)))).Id;
        var code = (await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}")).GetProperty("qrContent").GetString();
        var staff = await _p.Api.OrganizerAsync();
        var early = await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("ticket.refund_pending", (await PaymentApi.JsonAsync(early)).GetProperty("code").GetString());

        _p.Toss.Faults = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal) ? Fault.Refuse("NOT_CANCELABLE_PAYMENT") : Fault.None;
        _p.Api.Clock.Advance((await RefundAsync(orderId)).NextAttemptAt!.Value - _p.Api.Clock.GetUtcNow());
        var report = await _p.SendAsync(new RetryPendingRefunds());

        Assert.Equal(1, report.Refused);
        var refund = await RefundAsync(orderId);
        Assert.Equal((RefundStatus.Failed, "NOT_CANCELABLE_PAYMENT"), (refund.Status, refund.FailureCode));
        Assert.Equal(0, _p.Toss.Simulator.Refunds);
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.All(await _p.QueryAsync(db => db.Tickets.AsNoTracking().Where(t => t.OrderId == order.Id).ToListAsync()), t => Assert.Equal(TicketStatus.Valid, t.Status));
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code })).StatusCode);
    }

    private async Task<(HttpClient Fan, string OrderId)> PaidOrderAsync(params long[] seats)
    {
        var fan = await _p.Api.FanAsync($"refund-retry-{seats[0]}@test.ticketing");
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, seats);
        Assert.Equal(HttpStatusCode.OK, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount)).StatusCode);
        return (fan, orderId);
    }

    private Task<Refund> RefundAsync(string orderId) =>
        _p.QueryAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.OrderId == Guid.Parse(orderId)));

    private async Task<IReadOnlyDictionary<long, string>> HoldersAsync(params long[] seats)
    {
        await using var scope = _p.Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISeatLock>().GetHoldersAsync(1, seats);
    }
}
