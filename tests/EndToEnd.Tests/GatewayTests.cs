using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.EndToEnd.Tests.Infrastructure;

namespace Ticketing.EndToEnd.Tests;

/// <summary>The product started as the run command starts it: the fans' origin serves the queue and proxies the booking API.</summary>
[Collection(StackCollection.Name)]
public sealed class GatewayTests(TicketingStack stack)
{
    [Fact]
    public async Task The_gateway_serves_the_queue_page_itself_and_the_catalog_from_the_webapi()
    {
        using var http = new HttpClient { BaseAddress = new Uri(stack.GatewayUrl) };

        var queue = await http.GetAsync("/queue/demo");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Equal("text/html", queue.Content.Headers.ContentType?.MediaType);

        var events = await http.GetAsync("/api/events");
        Assert.True(events.StatusCode == HttpStatusCode.OK, stack.Logs);
        using var body = JsonDocument.Parse(await events.Content.ReadAsStringAsync());
        Assert.Contains(
            body.RootElement.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("title").GetString()!.Contains("Gala", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fan_logs_in_through_the_gateway_and_the_booking_api_answers_with_their_account()
    {
        using var http = new HttpClient { BaseAddress = new Uri(stack.GatewayUrl) };
        var login = await http.PostAsJsonAsync("/api/accounts/login", new { email = "fan@demo.ticketing", password = "fan-demo-1" });
        Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync());
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        me.Headers.Authorization = new("Bearer", token);
        var answer = await http.SendAsync(me);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("fan@demo.ticketing", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
    }
}
