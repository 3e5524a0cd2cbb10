using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Ticketing.WebApi.IntegrationTests.Api;

namespace Ticketing.WebApi.IntegrationTests;

[Collection(ApiCollection.Name)]
public sealed class OrganizerEndpointsTests(TicketingApiFactory factory)
{
    private readonly Api _api = new(factory);

    [Fact]
    public async Task Organizer_creates_a_draft_event()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.PostAsJsonAsync("/api/organizer/events", EventBody("Draft night"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("draft", created.GetProperty("status").GetString());
        Assert.Equal($"/api/organizer/events/{created.GetProperty("id").GetInt64()}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Create_event_names_every_invalid_field()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.PostAsJsonAsync("/api/organizer/events", new { title = "", category = new string('c', 51), description = new string('d', 4001) });

        await AssertValidationAsync(response, "title", "category", "venue", "description");
    }

    [Fact]
    public async Task Organizer_lists_their_own_events_including_drafts_only()
    {
        using var organizer = await _api.NewOrganizerAsync();
        using var other = await _api.OtherOrganizerAsync();
        var mine = await CreateEventAsync(organizer);
        await CreateEventAsync(other);

        var list = await organizer.GetFromJsonAsync<JsonElement>("/api/organizer/events");

        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        Assert.Equal(mine.GetProperty("id").GetInt64(), list.GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.Equal("draft", list.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Admin_lists_every_organizers_events()
    {
        using var organizer = await _api.OrganizerAsync();
        var created = await CreateEventAsync(organizer);
        using var admin = await _api.AdminAsync();

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/organizer/events?pageSize=100");

        Assert.Contains(list.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetInt64() == created.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task List_own_events_refuses_a_bad_page_size()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.GetAsync("/api/organizer/events?pageSize=1000");

        await AssertValidationAsync(response, "pageSize");
    }

    [Theory]
    [InlineData("page=2147483647&pageSize=100")]
    [InlineData("page=0")]
    public async Task List_own_events_with_an_extreme_page_never_faults(string query)
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.GetAsync("/api/organizer/events?" + query);

        if (response.StatusCode != HttpStatusCode.OK)
        {
            await AssertValidationAsync(response, "page");
        }
    }

    [Fact]
    public async Task Organizer_reads_their_own_draft()
    {
        using var organizer = await _api.OrganizerAsync();
        var created = await CreateEventAsync(organizer);

        var read = await organizer.GetFromJsonAsync<JsonElement>($"/api/organizer/events/{created.GetProperty("id").GetInt64()}");

        Assert.Equal("draft", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reading_an_unknown_event_is_not_found()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.GetAsync("/api/organizer/events/987654321");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "event.not_found");
    }

    [Fact]
    public async Task Organizer_edits_their_event()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();

        using var response = await organizer.PutAsJsonAsync($"/api/organizer/events/{id}", EventBody("Renamed", "Opera"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Renamed", "Opera"), (updated.GetProperty("title").GetString(), updated.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Edit_event_names_every_invalid_field()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();

        using var response = await organizer.PutAsJsonAsync($"/api/organizer/events/{id}", new { title = new string('t', 201), category = "", venue = "" });

        await AssertValidationAsync(response, "title", "category", "venue");
    }

    [Fact]
    public async Task Editing_an_unknown_event_is_not_found()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.PutAsJsonAsync("/api/organizer/events/987654321", EventBody());

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "event.not_found");
    }

    [Fact]
    public async Task Organizer_cannot_edit_another_organizers_event()
    {
        using var owner = await _api.OrganizerAsync();
        using var other = await _api.OtherOrganizerAsync();
        var id = (await CreateEventAsync(owner)).GetProperty("id").GetInt64();

        using var response = await other.PutAsJsonAsync($"/api/organizer/events/{id}", EventBody("Hijacked"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "event.not_owner");
        var unchanged = await owner.GetFromJsonAsync<JsonElement>($"/api/organizer/events/{id}");
        Assert.Equal("Test concert", unchanged.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Organizer_cannot_read_another_organizers_event()
    {
        using var owner = await _api.OrganizerAsync();
        using var other = await _api.OtherOrganizerAsync();
        var id = (await CreateEventAsync(owner)).GetProperty("id").GetInt64();

        using var response = await other.GetAsync($"/api/organizer/events/{id}");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "event.not_owner");
    }

    [Fact]
    public async Task Organizer_cannot_add_a_performance_to_another_organizers_event()
    {
        using var owner = await _api.OrganizerAsync();
        using var other = await _api.OtherOrganizerAsync();
        var id = (await CreateEventAsync(owner)).GetProperty("id").GetInt64();

        using var response = await other.PostAsJsonAsync($"/api/organizer/events/{id}/performances", PerformanceBody());

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "event.not_owner");
    }

    [Fact]
    public async Task Organizer_cannot_publish_another_organizers_event()
    {
        using var owner = await _api.OrganizerAsync();
        using var other = await _api.OtherOrganizerAsync();
        var id = (await CreateEventAsync(owner)).GetProperty("id").GetInt64();
        await AddPerformanceAsync(owner, id);

        using var response = await other.PostAsync($"/api/organizer/events/{id}/publish", null);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "event.not_owner");
        Assert.Equal("draft", (await owner.GetFromJsonAsync<JsonElement>($"/api/organizer/events/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Organizer_cannot_change_another_organizers_performance()
    {
        using var owner = await _api.OrganizerAsync();
        using var other = await _api.OtherOrganizerAsync();
        var id = (await CreateEventAsync(owner)).GetProperty("id").GetInt64();
        var performanceId = (await AddPerformanceAsync(owner, id)).GetProperty("id").GetInt64();

        using var response = await other.PutAsJsonAsync($"/api/organizer/performances/{performanceId}", PerformanceBody());

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "event.not_owner");
    }

    [Fact]
    public async Task Admin_may_edit_any_organizers_event()
    {
        using var owner = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(owner)).GetProperty("id").GetInt64();
        using var admin = await _api.AdminAsync();

        using var response = await admin.PutAsJsonAsync($"/api/organizer/events/{id}", EventBody("Fixed by admin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Organizer_adds_a_performance_with_ranges_and_explicit_seats()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", PerformanceBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var performance = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(12, performance.GetProperty("seatCount").GetInt32());
        Assert.Equal(600, performance.GetProperty("holdSeconds").GetInt32());
        Assert.Equal(["R", "S"], performance.GetProperty("grades").EnumerateArray().Select(g => g.GetProperty("code").GetString()));
        Assert.Equal($"/api/performances/{performance.GetProperty("id").GetInt64()}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Add_performance_names_the_schedule_and_rule_fields_at_fault()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var body = new
        {
            startsAt = ShowStart,
            salesOpenAt = ShowStart.AddHours(3),
            salesCloseAt = ShowStart.AddHours(2),
            holdSeconds = 5,
            maxSeatsPerOrder = 6,
            maxSeatsPerFan = 2,
            requiresQueuePass = true,
            seatMap = SmallSeatMap(),
        };

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", body);

        await AssertValidationAsync(response, "salesOpenAt", "salesCloseAt", "holdSeconds", "maxSeatsPerFan", "waitingRoomId");
    }

    [Fact]
    public async Task Add_performance_names_the_seat_map_fields_at_fault()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var seatMap = new
        {
            grades = new object[] { new { code = "", name = "R", price = 0 } },
            sections = new object[]
            {
                new { name = "Floor", rows = new object[] { new { name = "A", grade = "R", from = 1, to = 2001 }, new { name = "B", grade = "R", from = 1, to = 5, spacing = -1 } } },
            },
        };

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", PerformanceBody(seatMap: seatMap));

        await AssertValidationAsync(response, "seatMap.grades[0].code", "seatMap.grades[0].price", "seatMap.sections[0].rows[0].to", "seatMap.sections[0].rows[1].spacing");
    }

    [Fact]
    public async Task Add_performance_with_null_sections_and_rows_is_a_validation_error()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var seatMap = new { grades = new object[] { new { code = "R", name = "R", price = 1000 } }, sections = new object?[] { null, new { name = "Floor", rows = new object?[] { null } } } };

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", PerformanceBody(seatMap: seatMap));

        await AssertValidationAsync(response, "seatMap");
    }

    [Fact]
    public async Task Add_performance_without_a_seat_map_names_it()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", new { startsAt = ShowStart, salesOpenAt = ShowStart.AddDays(-10), salesCloseAt = ShowStart });

        await AssertValidationAsync(response, "seatMap");
    }

    [Fact]
    public async Task Add_performance_with_an_undefined_grade_or_duplicate_labels_is_a_validation_error()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var seatMap = new
        {
            grades = new object[] { new { code = "R", name = "R", price = 1000 } },
            sections = new object[] { new { name = "Floor", rows = new object[] { new { name = "A", grade = "R", from = 1, to = 3 }, new { name = "A", grade = "Z", from = 3, to = 4 } } } },
        };

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", PerformanceBody(seatMap: seatMap));

        var problem = await AssertValidationAsync(response, "seats");
        Assert.Equal("seat_map.invalid", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Add_performance_over_one_hundred_thousand_seats_is_refused()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var rows = Enumerable.Range(0, 60).Select(i => new { name = "R" + i, grade = "R", from = 1, to = 2000 }).ToArray();
        var seatMap = new { grades = new object[] { new { code = "R", name = "R", price = 1000 } }, sections = new object[] { new { name = "Floor", rows } } };

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", PerformanceBody(seatMap: seatMap));

        await AssertValidationAsync(response, "seatMap");
    }

    [Fact]
    public async Task Adding_a_performance_to_an_unknown_event_is_not_found()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.PostAsJsonAsync("/api/organizer/events/987654321/performances", PerformanceBody());

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "event.not_found");
    }

    [Fact]
    public async Task Organizer_changes_a_performances_schedule_and_rules()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var performanceId = (await AddPerformanceAsync(organizer, id)).GetProperty("id").GetInt64();
        var body = new { startsAt = ShowStart.AddDays(1), salesOpenAt = ShowStart.AddDays(-20), salesCloseAt = ShowStart, holdSeconds = 300, maxSeatsPerOrder = 2, requiresQueuePass = true, waitingRoomId = "room-7" };

        using var response = await organizer.PutAsJsonAsync($"/api/organizer/performances/{performanceId}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(300, updated.GetProperty("holdSeconds").GetInt32());
        Assert.Equal("room-7", updated.GetProperty("waitingRoomId").GetString());
        Assert.Equal(ShowStart.AddDays(1), updated.GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Update_performance_names_the_fields_at_fault()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var performanceId = (await AddPerformanceAsync(organizer, id)).GetProperty("id").GetInt64();

        using var response = await organizer.PutAsJsonAsync($"/api/organizer/performances/{performanceId}", new { startsAt = ShowStart, salesOpenAt = ShowStart, salesCloseAt = ShowStart, holdSeconds = 3600 });

        await AssertValidationAsync(response, "salesOpenAt", "holdSeconds");
    }

    [Fact]
    public async Task Updating_an_unknown_performance_is_not_found()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.PutAsJsonAsync("/api/organizer/performances/987654321", PerformanceBody());

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "performance.not_found");
    }

    [Fact]
    public async Task Publishing_without_a_performance_is_a_conflict()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();

        using var response = await organizer.PostAsync($"/api/organizer/events/{id}/publish", null);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "event.no_performances");
    }

    [Fact]
    public async Task Publishing_makes_the_event_public()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        await AddPerformanceAsync(organizer, id);

        using var response = await organizer.PostAsync($"/api/organizer/events/{id}/publish", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("published", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _api.Anonymous().GetAsync($"/api/events/{id}")).StatusCode);
    }

    [Fact]
    public async Task Publishing_an_unknown_event_is_not_found()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.PostAsync("/api/organizer/events/987654321/publish", null);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "event.not_found");
    }

    public static TheoryData<string, string> OrganizerEndpoints() => new()
    {
        { "GET", "/api/organizer/events" },
        { "POST", "/api/organizer/events" },
        { "GET", "/api/organizer/events/1" },
        { "PUT", "/api/organizer/events/1" },
        { "POST", "/api/organizer/events/1/performances" },
        { "PUT", "/api/organizer/performances/1" },
        { "POST", "/api/organizer/events/1/publish" },
    };

    [Theory]
    [MemberData(nameof(OrganizerEndpoints))]
    public async Task Organizer_endpoints_refuse_anonymous_callers(string method, string path)
    {
        using var response = await _api.Anonymous().SendAsync(Request(method, path));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(OrganizerEndpoints))]
    public async Task Organizer_endpoints_refuse_fans(string method, string path)
    {
        using var fan = await _api.FanAsync();

        using var response = await fan.SendAsync(Request(method, path));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "GET" ? null : JsonContent.Create(EventBody()),
    };
}
