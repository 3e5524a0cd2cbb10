using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>Accounts, tokens, events and ProblemDetails checks shared by the HTTP tests.</summary>
public sealed class Api(TicketingApiFactory factory)
{
    public static readonly DateTimeOffset ShowStart = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(60).AddHours(19);

    public TicketingApiFactory Factory => factory;

    public HttpClient Anonymous() => factory.CreateApiClient();

    public static string UniqueEmail(string who = "fan") => $"{who}-{Guid.NewGuid():N}@tests.ticketing";

    public async Task<JsonElement> RegisterAsync(string email, string password = "password-1")
    {
        using var response = await Anonymous().PostAsJsonAsync("/api/accounts/register", new { email, password, displayName = "Test" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> LoginAsync(string email, string password)
    {
        using var response = await Anonymous().PostAsJsonAsync("/api/accounts/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<string> TokenAsync(string email, string password) =>
        (await LoginAsync(email, password)).GetProperty("accessToken").GetString()!;

    /// <summary>A fan account shared by the tests of this API.</summary>
    public async Task<HttpClient> FanAsync() => factory.CreateApiClient(await SharedTokenAsync("fan", async () =>
    {
        var email = UniqueEmail();
        await RegisterAsync(email);
        return await TokenAsync(email, "password-1");
    }));

    public async Task<HttpClient> AdminAsync() => factory.CreateApiClient(await AdminTokenAsync());

    public async Task<HttpClient> DemoOrganizerAsync() => factory.CreateApiClient(await SharedTokenAsync(
        "demo-organizer", () => TokenAsync(DemoData.OrganizerEmail, DemoData.OrganizerPassword)));

    /// <summary>An organizer shared by the tests of this API; each test makes its own events.</summary>
    public async Task<HttpClient> OrganizerAsync() => factory.CreateApiClient(await SharedTokenAsync("organizer", NewOrganizerTokenAsync));

    /// <summary>A second shared organizer, for the tests of what one organizer may not do to another's events.</summary>
    public async Task<HttpClient> OtherOrganizerAsync() => factory.CreateApiClient(await SharedTokenAsync("other-organizer", NewOrganizerTokenAsync));

    /// <summary>An organizer of its own: registered as a fan, promoted by the admin, then logged in again.</summary>
    public async Task<HttpClient> NewOrganizerAsync() => factory.CreateApiClient(await NewOrganizerTokenAsync());

    private Task<string> AdminTokenAsync() =>
        SharedTokenAsync("admin", () => TokenAsync(TicketingApiFactory.AdminEmail, TicketingApiFactory.AdminPassword));

    private async Task<string> NewOrganizerTokenAsync()
    {
        var email = UniqueEmail("organizer");
        var account = await RegisterAsync(email);
        using var admin = factory.CreateApiClient(await AdminTokenAsync());
        using var promoted = await admin.PutAsJsonAsync($"/api/admin/users/{account.GetProperty("id").GetGuid()}/role", new { role = "organizer" });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        return await TokenAsync(email, "password-1");
    }

    private Task<string> SharedTokenAsync(string key, Func<Task<string>> login) =>
        factory.SharedTokens.GetOrAdd(key, _ => new Lazy<Task<string>>(login)).Value;

    public static object EventBody(string title = "Test concert", string category = "Concert", string? description = null) =>
        new { title, category, venue = "Test Hall", description = description ?? "A test event" };

    public static async Task<JsonElement> CreateEventAsync(HttpClient organizer, object? body = null)
    {
        using var response = await organizer.PostAsJsonAsync("/api/organizer/events", body ?? EventBody());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static object PerformanceBody(DateTimeOffset? startsAt = null, object? seatMap = null, int? holdSeconds = 600)
    {
        var start = startsAt ?? ShowStart;
        return new
        {
            startsAt = start,
            salesOpenAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            salesCloseAt = start.AddHours(-1),
            holdSeconds,
            maxSeatsPerOrder = 4,
            maxSeatsPerFan = 8,
            requiresQueuePass = false,
            seatMap = seatMap ?? SmallSeatMap(),
        };
    }

    public static object SmallSeatMap() => new
    {
        grades = new object[] { new { code = "R", name = "R seat", price = 100_000, color = "#c0392b" }, new { code = "S", name = "S seat", price = 50_000 } },
        sections = new object[]
        {
            new { name = "Floor", rows = new object[] { new { name = "A", grade = "R", from = 1, to = 10, x = 0, y = 0, spacing = 1 } } },
            new { name = "Balcony", rows = new object[] { new { name = "A", seats = new object[] { new { number = "1", x = 0, y = 5, grade = "S" }, new { number = "2", x = 1, y = 5 } }, grade = "S" } } },
        },
    };

    public static async Task<JsonElement> AddPerformanceAsync(HttpClient organizer, long eventId, object? body = null)
    {
        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{eventId}/performances", body ?? PerformanceBody());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task PublishAsync(HttpClient organizer, long eventId)
    {
        using var response = await organizer.PostAsync($"/api/organizer/events/{eventId}/publish", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A published event with one 12-seat performance; returns (eventId, performanceId).</summary>
    public static async Task<(long EventId, long PerformanceId)> PublishedEventAsync(HttpClient organizer, object? eventBody = null, DateTimeOffset? startsAt = null)
    {
        var e = await CreateEventAsync(organizer, eventBody);
        var eventId = e.GetProperty("id").GetInt64();
        var performance = await AddPerformanceAsync(organizer, eventId, PerformanceBody(startsAt));
        await PublishAsync(organizer, eventId);
        return (eventId, performance.GetProperty("id").GetInt64());
    }

    public async Task<(long EventId, long PerformanceId)> DemoPerformanceAsync()
    {
        using var client = Anonymous();
        var found = await client.GetFromJsonAsync<JsonElement>("/api/events?q=" + Uri.EscapeDataString("New Year Gala"));
        var eventId = found.GetProperty("items")[0].GetProperty("id").GetInt64();
        var details = await client.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");
        return (eventId, details.GetProperty("performances")[0].GetProperty("id").GetInt64());
    }

    /// <summary>Asserts an RFC 9457 answer with the status and a stable <c>code</c>; returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("code", out var codeValue) && codeValue.GetString() is { Length: > 0 }, "ProblemDetails without a code: " + text);
        if (code is not null)
        {
            Assert.Equal(code, codeValue.GetString());
        }

        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>Asserts a 400 whose <c>errors</c> name exactly the given fields (at least).</summary>
    public static async Task<JsonElement> AssertValidationAsync(HttpResponseMessage response, params string[] fields)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var keys = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var field in fields)
        {
            Assert.True(keys.Contains(field), $"errors has no '{field}': {string.Join(", ", keys)}");
        }

        return problem;
    }
}
