using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>Tickets after payment: reads for their owner, a signed QR code, and check-in at the entrance.</summary>
public sealed class TicketTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Paid_order_gives_its_owner_tickets_with_a_signed_qr_code_and_nobody_else()
    {
        var (fan, tickets) = await PaidTicketsAsync(3001, 3002);

        var mine = await fan.GetFromJsonAsync<JsonElement>("/api/me/tickets");
        var one = await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/{tickets[0]}");
        var qr = await fan.GetAsync($"/api/tickets/{tickets[0]}/qr");
        var stranger = await _p.Api.FanAsync();

        Assert.Equal(2, mine.GetProperty("totalCount").GetInt32());
        Assert.Equal("valid", one.GetProperty("ticket").GetProperty("status").GetString());
        Assert.StartsWith("TKT1.", one.GetProperty("qrContent").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
        var png = await qr.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/tickets/{tickets[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/tickets/{tickets[0]}/qr")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fan.GetAsync("/api/tickets/not-a-guid")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fan.GetAsync("/api/me/tickets?pageSize=1000")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _p.Api.CreateClient().GetAsync("/api/me/tickets")).StatusCode);
    }

    [Fact]
    public async Task Check_in_accepts_a_ticket_once_and_refuses_a_second_scan()
    {
        var (fan, tickets) = await PaidTicketsAsync(3011);
        var code = await QrContentAsync(fan, tickets[0]);
        var staff = await _p.Api.OrganizerAsync();

        var first = await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });
        var second = await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(3011, (await PaymentApi.JsonAsync(first)).GetProperty("seatId").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("ticket.already_checked_in", (await PaymentApi.JsonAsync(second)).GetProperty("code").GetString());
        Assert.Equal("checkedIn", (await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/{tickets[0]}")).GetProperty("ticket").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Concurrent_scans_of_one_ticket_admit_it_once()
    {
        var (fan, tickets) = await PaidTicketsAsync(3015);
        var code = await QrContentAsync(fan, tickets[0]);
        var staff = await _p.Api.OrganizerAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code })));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Check_in_refuses_forged_voided_and_other_organizers_tickets()
    {
        var (fan, tickets) = await PaidTicketsAsync(3021, 3022);
        var code = await QrContentAsync(fan, tickets[0]);
        var staff = await _p.Api.OrganizerAsync();
        var forgedSeat = code.Replace(".3021.", ".3022.", StringComparison.Ordinal);
        var forgedSignature = code[..^2] + (code.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");

        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = forgedSeat })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = forgedSignature })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = "hello" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = new string('x', 5000) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsync("/api/organizer/check-ins", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code })).StatusCode);

        var otherOrganizer = await _p.Api.FanAsync();
        await PromoteAsync(otherOrganizer);
        var notTheirs = await otherOrganizer.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });
        Assert.Equal(HttpStatusCode.Forbidden, notTheirs.StatusCode);
        Assert.Equal("ticket.not_your_event", (await PaymentApi.JsonAsync(notTheirs)).GetProperty("code").GetString());

        await using (var scope = _p.Api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Tickets.SingleAsync(t => t.Id == tickets[0])).Void(_p.Api.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        var voided = await staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });
        Assert.Equal(HttpStatusCode.Conflict, voided.StatusCode);
        Assert.Equal("ticket.voided", (await PaymentApi.JsonAsync(voided)).GetProperty("code").GetString());

        var admin = await BookingApiFactory.LogInAsync(_p.Api.CreateClient(), "admin@test.ticketing", "admin-test-1");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = await QrContentAsync(fan, tickets[1]) })).StatusCode);
    }

    private async Task<(HttpClient Fan, List<Guid> Tickets)> PaidTicketsAsync(params long[] seats)
    {
        var fan = await _p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, seats);
        var paid = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, amount), orderId, amount);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var body = await PaymentApi.JsonAsync(paid);
        return (fan, body.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList());
    }

    private static async Task<string> QrContentAsync(HttpClient fan, Guid ticketId) =>
        (await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}")).GetProperty("qrContent").GetString()!;

    private async Task PromoteAsync(HttpClient user)
    {
        var me = await user.GetFromJsonAsync<JsonElement>("/api/me");
        var email = me.GetProperty("email").GetString()!;
        await using (var scope = _p.Api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Users.SingleAsync(u => u.Email == email)).ChangeRole(Domain.Accounts.Role.Organizer);
            await db.SaveChangesAsync();
        }

        await BookingApiFactory.LogInAsync(user, email, "fan-password-1");
    }
}
