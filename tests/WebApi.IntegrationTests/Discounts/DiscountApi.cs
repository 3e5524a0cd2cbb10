using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.WebApi.IntegrationTests.Discounts;

/// <summary>The discount calls the tests share (the demo performance 1 belongs to the demo organizer).</summary>
internal static class DiscountApi
{
    public static async Task<JsonElement> CreateAsync(HttpClient organizer, object body, long performanceId = 1)
    {
        using var response = await organizer.PostAsJsonAsync($"/api/organizer/performances/{performanceId}/discounts", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<long> CreateIdAsync(HttpClient organizer, object body, long performanceId = 1) =>
        (await CreateAsync(organizer, body, performanceId)).GetProperty("id").GetInt64();

    public static Task<HttpResponseMessage> ChooseAsync(HttpClient fan, string orderId, object choice) =>
        fan.PutAsJsonAsync($"/api/orders/{orderId}/discounts", choice);

    public static async Task<JsonElement> ChooseOkAsync(HttpClient fan, string orderId, object choice)
    {
        using var response = await ChooseAsync(fan, orderId, choice);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> StepAsync(HttpClient fan, string orderId, string? coupon = null)
    {
        using var response = await fan.GetAsync($"/api/orders/{orderId}/discounts" + (coupon is null ? string.Empty : "?coupon=" + Uri.EscapeDataString(coupon)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static JsonElement Seat(JsonElement step, long seatId) =>
        step.GetProperty("seats").EnumerateArray().Single(s => s.GetProperty("seatId").GetInt64() == seatId);

    /// <summary>What the discount would charge for the seat, or null when the seat may not take it.</summary>
    public static long? OptionPrice(JsonElement step, long seatId, long discountId) =>
        Seat(step, seatId).GetProperty("options").EnumerateArray()
            .Where(o => o.GetProperty("discountId").GetInt64() == discountId)
            .Select(o => (long?)o.GetProperty("price").GetInt64())
            .SingleOrDefault();

    public static async Task<string> CodeOfAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;
}
