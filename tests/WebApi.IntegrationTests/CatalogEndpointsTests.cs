using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Infrastructure.Persistence;
using static Ticketing.WebApi.IntegrationTests.Api;

namespace Ticketing.WebApi.IntegrationTests;

[Collection(ApiCollection.Name)]
public sealed class CatalogEndpointsTests(TicketingApiFactory factory)
{
    private readonly Api _api = new(factory);

    [Fact]
    public async Task Search_without_filters_lists_the_demo_event()
    {
        var page = await _api.Anonymous().GetFromJsonAsync<JsonElement>("/api/events?pageSize=100");

        Assert.Contains(page.GetProperty("items").EnumerateArray(), e => e.GetProperty("title").GetString() == DemoData.EventTitle);
        Assert.True(page.GetProperty("totalCount").GetInt32() >= 1);
    }

    [Fact]
    public async Task Search_by_keyword_matches_title_venue_and_description()
    {
        using var organizer = await _api.OrganizerAsync();
        var word = "kw" + Guid.NewGuid().ToString("N")[..10];
        var (byTitle, _) = await PublishedEventAsync(organizer, EventBody($"The {word} show"));
        var (byDescription, _) = await PublishedEventAsync(organizer, EventBody("Other show", description: $"about {word.ToUpperInvariant()}"));

        var page = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/events?q={word}");

        Assert.Equal([byTitle, byDescription], Ids(page).Order());
        Assert.Equal(2, page.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Search_treats_like_wildcards_literally()
    {
        var page = await _api.Anonymous().GetFromJsonAsync<JsonElement>("/api/events?q=" + Uri.EscapeDataString("%_["));

        Assert.Equal(0, page.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Search_by_category_returns_only_that_category()
    {
        using var organizer = await _api.OrganizerAsync();
        var category = "cat" + Guid.NewGuid().ToString("N")[..8];
        var (inCategory, _) = await PublishedEventAsync(organizer, EventBody("Categorised", category));
        await PublishedEventAsync(organizer, EventBody("Elsewhere", "Concert"));

        var page = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/events?category={category}");

        Assert.Equal([inCategory], Ids(page));
    }

    [Fact]
    public async Task Search_by_date_range_keeps_events_with_a_performance_inside_it()
    {
        using var organizer = await _api.OrganizerAsync();
        var category = "dates" + Guid.NewGuid().ToString("N")[..8];
        var early = ShowStart.AddDays(100);
        var (inside, _) = await PublishedEventAsync(organizer, EventBody("Inside", category), early);
        await PublishedEventAsync(organizer, EventBody("Later", category), early.AddDays(30));

        var from = Uri.EscapeDataString(early.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(early.AddDays(1).ToString("O"));
        var page = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/events?category={category}&from={from}&to={to}");

        Assert.Equal([inside], Ids(page));
    }

    [Fact]
    public async Task Search_pages_with_a_total_count()
    {
        using var organizer = await _api.OrganizerAsync();
        var category = "paged" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await PublishedEventAsync(organizer, EventBody("Paged " + i, category), ShowStart.AddDays(i))).EventId);
        }

        var first = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/events?category={category}&pageSize=2&page=1");
        var second = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/events?category={category}&pageSize=2&page=2");

        Assert.Equal(3, first.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, first.GetProperty("totalPages").GetInt32());
        Assert.Equal(ids.Take(2), Ids(first));
        Assert.Equal(ids.Skip(2), Ids(second));
        Assert.Equal(3, second.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Search_names_the_invalid_parameters()
    {
        var at = Uri.EscapeDataString(ShowStart.ToString("O"));

        using var response = await _api.Anonymous().GetAsync($"/api/events?page=0&pageSize=500&from={at}&to={at}&q={new string('q', 101)}");

        await AssertValidationAsync(response, "page", "pageSize", "to", "query");
    }

    [Theory]
    [InlineData("page=abc")]
    [InlineData("from=yesterday")]
    public async Task Search_with_an_unparseable_parameter_is_a_bad_request(string query)
    {
        using var response = await _api.Anonymous().GetAsync("/api/events?" + query);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Drafts_are_invisible_to_the_public_but_visible_to_their_organizer()
    {
        using var organizer = await _api.OrganizerAsync();
        var title = "Secret " + Guid.NewGuid().ToString("N");
        var id = (await CreateEventAsync(organizer, EventBody(title))).GetProperty("id").GetInt64();
        var performanceId = (await AddPerformanceAsync(organizer, id)).GetProperty("id").GetInt64();
        using var anonymous = _api.Anonymous();

        await AssertProblemAsync(await anonymous.GetAsync($"/api/events/{id}"), HttpStatusCode.NotFound, "event.not_found");
        await AssertProblemAsync(await anonymous.GetAsync($"/api/performances/{performanceId}"), HttpStatusCode.NotFound, "performance.not_found");
        await AssertProblemAsync(await anonymous.GetAsync($"/api/performances/{performanceId}/seats"), HttpStatusCode.NotFound, "performance.not_found");
        Assert.Equal(0, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/events?q={Uri.EscapeDataString(title)}")).GetProperty("totalCount").GetInt32());
        var own = await organizer.GetFromJsonAsync<JsonElement>($"/api/organizer/events/{id}");
        Assert.Equal(title, own.GetProperty("title").GetString());
        Assert.Equal(performanceId, own.GetProperty("performances")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_published_event_shows_its_performances_and_prices()
    {
        var (eventId, _) = await _api.DemoPerformanceAsync();

        var details = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");

        Assert.Equal("published", details.GetProperty("status").GetString());
        Assert.Equal(2, details.GetProperty("performances").GetArrayLength());
        Assert.Equal([198_000L, 165_000, 132_000, 99_000], details.GetProperty("performances")[0].GetProperty("grades").EnumerateArray().Select(g => g.GetProperty("price").GetInt64()));
    }

    [Fact]
    public async Task A_published_performance_is_readable_by_anyone()
    {
        var (_, performanceId) = await _api.DemoPerformanceAsync();

        var performance = await _api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}");

        Assert.Equal(5_000, performance.GetProperty("seatCount").GetInt32());
    }

    [Fact]
    public async Task Unknown_event_and_performance_are_not_found()
    {
        using var anonymous = _api.Anonymous();

        await AssertProblemAsync(await anonymous.GetAsync("/api/events/987654321"), HttpStatusCode.NotFound, "event.not_found");
        await AssertProblemAsync(await anonymous.GetAsync("/api/performances/987654321"), HttpStatusCode.NotFound, "performance.not_found");
        await AssertProblemAsync(await anonymous.GetAsync("/api/performances/987654321/seats"), HttpStatusCode.NotFound, "performance.not_found");
    }

    private static List<long> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
}
