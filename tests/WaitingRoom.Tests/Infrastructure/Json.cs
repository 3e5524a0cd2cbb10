using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and stable code.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await ReadAsync(response);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.EndsWith("/" + code, body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("exception", out _));
        return body;
    }

    public static Task<HttpResponseMessage> PostEmptyAsync(this HttpClient client, string url) => client.PostAsync(url, null);

    public static JsonContent Body(object value) => JsonContent.Create(value);
}
