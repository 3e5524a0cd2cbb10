using System.Net.Http.Json;
using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>The booking API wired to a fake Toss HTTP server on loopback, sharing the test's clock.</summary>
public sealed class PaymentApi : IAsyncDisposable
{
    private PaymentApi(BookingApiFactory api, FakeTossServer toss)
    {
        Api = api;
        Toss = toss;
    }

    public BookingApiFactory Api { get; }

    public FakeTossServer Toss { get; }

    public static async Task<PaymentApi> StartAsync(Action<BookingApiFactory>? configure = null, int attemptTimeoutMs = 1000)
    {
        var api = new BookingApiFactory();
        var toss = await FakeTossServer.StartAsync(api.Clock);
        api.With("Payments:Provider", "Toss")
            .With("Payments:Toss:SecretKey", FakeTossServer.SecretKey)
            .With("Payments:Toss:BaseUrl", toss.BaseUrl)
            .With("Payments:Toss:AttemptTimeoutMilliseconds", attemptTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Payments:Toss:RetryBaseDelayMilliseconds", "20")
            .With("Payments:Toss:MaxRetries", "3");
        configure?.Invoke(api);
        return new PaymentApi(api, toss);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Toss.DisposeAsync();
    }

    /// <summary>Holds seats of performance 1; returns the order id and total.</summary>
    public static async Task<(string OrderId, long Amount)> HoldAsync(HttpClient fan, params long[] seats)
    {
        var response = await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = seats });
        response.EnsureSuccessStatusCode();
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (order.GetProperty("id").GetString()!, order.GetProperty("totalAmount").GetInt64());
    }

    /// <summary>The widget: the buyer authorizes a payment at the fake Toss; returns its paymentKey.</summary>
    public string Checkout(string orderId, long amount) => Toss.Simulator.Authorize(orderId, amount, "Test order");

    public static Task<HttpResponseMessage> ConfirmAsync(HttpClient fan, string paymentKey, string orderId, long amount, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/confirm") { Content = JsonContent.Create(new { paymentKey, orderId, amount }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return fan.SendAsync(request);
    }

    public async Task<T> SendAsync<T>(IRequest<T> request)
    {
        await using var scope = Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Api.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public Task<Domain.Orders.Order> OrderAsync(string orderId) =>
        QueryAsync(db => db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == Guid.Parse(orderId)));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
