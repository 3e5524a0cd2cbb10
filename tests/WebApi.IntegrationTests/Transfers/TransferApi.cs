using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Tickets;
using Ticketing.WebApi.IntegrationTests.Holds;
using Ticketing.WebApi.IntegrationTests.Payments;

namespace Ticketing.WebApi.IntegrationTests.Transfers;

/// <summary>Steps the transfer tests share: a paid ticket through the simulated provider, its code, an offer, a check-in.</summary>
internal static class TransferApi
{
    public static async Task<(HttpClient Fan, string Email)> FanAsync(BookingApiFactory api, string name)
    {
        var email = $"{name}-{Guid.NewGuid():N}@test.ticketing";
        return (await api.FanAsync(email), email);
    }

    /// <summary>Holds and pays one seat of performance 1 with the simulated checkout; returns the order and its ticket.</summary>
    public static async Task<(string OrderId, Guid TicketId, long Price)> PaidTicketAsync(HttpClient fan, long seat)
    {
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, seat);
        var checkout = await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId });
        checkout.EnsureSuccessStatusCode();
        var confirm = await fan.PostAsync("/api/payments/confirm", JsonContent.Create(await checkout.Content.ReadFromJsonAsync<JsonElement>()));
        confirm.EnsureSuccessStatusCode();
        var ticket = (await confirm.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tickets")[0];
        return (orderId, ticket.GetProperty("id").GetGuid(), amount);
    }

    public static async Task<string> QrAsync(HttpClient fan, Guid ticketId) =>
        (await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}")).GetProperty("qrContent").GetString()!;

    public static Task<HttpResponseMessage> OfferAsync(HttpClient fan, Guid ticketId, string recipientEmail, long price) =>
        fan.PostAsJsonAsync($"/api/tickets/{ticketId}/transfers", new { recipientEmail, price });

    public static async Task<Guid> OfferedAsync(HttpClient fan, Guid ticketId, string recipientEmail, long price)
    {
        var response = await OfferAsync(fan, ticketId, recipientEmail, price);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> AcceptAsync(HttpClient fan, Guid transferId) =>
        fan.PostAsync($"/api/transfers/{transferId}/acceptance", null);

    public static Task<HttpResponseMessage> CancelAsync(HttpClient fan, Guid transferId) =>
        fan.PostAsync($"/api/transfers/{transferId}/cancellation", null);

    public static Task<HttpResponseMessage> CheckInAsync(HttpClient staff, string code) =>
        staff.PostAsJsonAsync("/api/organizer/check-ins", new { qrContent = code });

    public static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await PaymentApi.JsonAsync(response)).TryGetProperty("code", out var code) ? code.GetString() : null;

    public static async Task<Ticket> TicketAsync(BookingApiFactory api, Guid ticketId)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Persistence.AppDbContext>();
        return await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticketId);
    }

    public static async Task<TicketTransfer> TransferAsync(BookingApiFactory api, Guid transferId)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Persistence.AppDbContext>();
        return await db.TicketTransfers.AsNoTracking().SingleAsync(t => t.Id == transferId);
    }

    /// <summary>Tickets of the seat that are not voided: the unique index allows one.</summary>
    public static async Task<int> LiveTicketsOfSeatAsync(BookingApiFactory api, long seat)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Persistence.AppDbContext>();
        return await db.Tickets.CountAsync(t => t.PerformanceId == 1 && t.SeatId == seat && t.Status != TicketStatus.Voided);
    }

    public static async Task<T> SendAsync<T>(BookingApiFactory api, MediatR.IRequest<T> request)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(request);
    }
}
