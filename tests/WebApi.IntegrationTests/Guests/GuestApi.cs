using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ticketing.WebApi.IntegrationTests.Payments;

namespace Ticketing.WebApi.IntegrationTests.Guests;

/// <summary>Steps of guest booking over real HTTP: a verified phone's session, a held and paid order, a lookup.</summary>
internal static partial class GuestApi
{
    /// <summary>The booking API with a fake Toss, the simulated SMS provider, and address limits out of the way.</summary>
    public static Task<PaymentApi> StartAsync(Action<Holds.BookingApiFactory>? configure = null) =>
        PaymentApi.StartAsync(api =>
        {
            api.With("Sms:Provider", "Simulated").With("Sms:AllowSimulated", "true")
                .With("RateLimits:GuestCodesPerHour", "100000")
                .With("RateLimits:GuestVerifiesPerMinute", "100000")
                .With("RateLimits:GuestLookupsPerMinute", "100000");
            configure?.Invoke(api);
        });

    /// <summary>Asks for a code; returns the verification id.</summary>
    public static async Task<string> AskCodeAsync(HttpClient client, string phone)
    {
        var response = await client.PostAsJsonAsync("/api/guest/phone-verifications", new { phone });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verificationId").GetString()!;
    }

    /// <summary>The code the simulated provider "sent", read where a developer reads it.</summary>
    public static async Task<string> CodeSentToAsync(HttpClient client, string phone)
    {
        var sms = await client.GetFromJsonAsync<JsonElement>($"/api/dev/sms?phone={Uri.EscapeDataString(phone)}");
        return Code().Match(sms.GetProperty("message").GetString()!).Value;
    }

    public static Task<HttpResponseMessage> ConfirmAsync(HttpClient client, string verificationId, string code) =>
        client.PostAsJsonAsync($"/api/guest/phone-verifications/{verificationId}/confirm", new { code });

    /// <summary>A client holding a fresh guest session of the phone.</summary>
    public static async Task<HttpClient> GuestAsync(PaymentApi p, string phone)
    {
        var client = p.Api.CreateClient();
        var id = await AskCodeAsync(client, phone);
        var response = await ConfirmAsync(client, id, await CodeSentToAsync(client, phone));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The guest holds seats of performance 1, gives the buyer's contact, and pays through the fake Toss.</summary>
    public static async Task<(string OrderId, string BookingNumber, long Amount)> BookAndPayAsync(PaymentApi p, HttpClient guest, params long[] seats)
    {
        var (orderId, amount) = await PaymentApi.HoldAsync(guest, seats);
        var booking = await guest.PostAsJsonAsync("/api/guest/bookings", new { orderId, name = "김게스트", email = "guest@example.com" });
        Assert.Equal(HttpStatusCode.Created, booking.StatusCode);
        var number = (await booking.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bookingNumber").GetString()!;
        var paid = await PaymentApi.ConfirmAsync(guest, p.Checkout(orderId, amount), orderId, amount);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        return (orderId, number, amount);
    }

    public static Task<HttpResponseMessage> LookUpAsync(HttpClient client, string bookingNumber, string phone) =>
        client.PostAsJsonAsync("/api/guest/bookings/lookup", new { bookingNumber, phone });

    public static HttpRequestMessage WithLookupToken(HttpMethod method, string url, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Lookup-Token", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    /// <summary>A problem body without its per-request trace id, to compare two answers.</summary>
    public static async Task<string> ProblemWithoutTraceAsync(HttpResponseMessage response)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await response.Content.ReadAsStringAsync())!;
        body.Remove("traceId");
        return JsonSerializer.Serialize(body.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex Code();
}
