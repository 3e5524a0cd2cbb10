using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.WebApi.IntegrationTests;

[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(TicketingApiFactory factory)
{
    private readonly Api _api = new(factory);

    [Fact]
    public async Task The_openapi_document_lists_every_api_path()
    {
        var document = await _api.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/health",
            "/api/accounts/register",
            "/api/accounts/registration-challenge",
            "/api/accounts/login",
            "/api/accounts/refresh",
            "/api/me",
            "/api/admin/users/{userId}/role",
            "/api/organizer/events",
            "/api/organizer/events/{eventId}",
            "/api/organizer/events/{eventId}/performances",
            "/api/organizer/performances/{performanceId}",
            "/api/organizer/events/{eventId}/publish",
            "/api/events",
            "/api/events/{eventId}",
            "/api/performances/{performanceId}",
            "/api/performances/{performanceId}/seats",
            "/api/performances/{performanceId}/seats/stream",
            "/api/performances/{performanceId}/holds/together",
        ];
        Assert.All(expected, path => Assert.Contains(path, paths));
        Assert.Equal("Ticketing API", document.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_live_seat_map_and_seats_together_are_documented_with_their_problems()
    {
        var paths = (await _api.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        var stream = paths.GetProperty("/api/performances/{performanceId}/seats/stream").GetProperty("get").GetProperty("responses");
        Assert.True(stream.GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
        Assert.All(new[] { "404", "503" }, s => Assert.True(stream.TryGetProperty(s, out _), s));

        var together = paths.GetProperty("/api/performances/{performanceId}/holds/together").GetProperty("post").GetProperty("responses");
        Assert.All(new[] { "201", "400", "401", "403", "404", "409", "429", "503" }, s => Assert.True(together.TryGetProperty(s, out _), s));
    }

    [Fact]
    public async Task The_openapi_document_covers_every_mapped_endpoint()
    {
        var document = await _api.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();

        var mapped = EndpointInventory.ApiEndpoints(factory.Services);

        Assert.NotEmpty(mapped);
        Assert.All(mapped, endpoint => Assert.Contains(endpoint, documented));
    }

    [Fact]
    public async Task Swagger_ui_answers()
    {
        using var response = await _api.Anonymous().GetAsync("/docs/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Docs_root_answers_with_the_swagger_ui()
    {
        using var response = await _api.Anonymous().GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
