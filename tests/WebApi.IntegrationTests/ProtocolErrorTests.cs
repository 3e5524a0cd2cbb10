using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>Bad requests at the HTTP level: every one is a ProblemDetails with a code, none is a 500.</summary>
[Collection(ApiCollection.Name)]
public sealed class ProtocolErrorTests(TicketingApiFactory factory)
{
    private readonly Api _api = new(factory);

    [Theory]
    [InlineData("{")]
    [InlineData("{\"email\": 5, \"password\": \"x\"}")]
    [InlineData("[1,2,3]")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Malformed_json_is_a_bad_request(string body)
    {
        using var response = await _api.Anonymous().PostAsync("/api/accounts/register", new StringContent(body, Encoding.UTF8, "application/json"));

        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Malformed_json_says_where()
    {
        using var response = await _api.Anonymous().PostAsync("/api/accounts/register", new StringContent("{\"email\": 5}", Encoding.UTF8, "application/json"));

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed_json");
        Assert.Contains("$.email", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_on_an_authorized_endpoint_is_a_bad_request()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.PostAsync("/api/organizer/events/1/performances", new StringContent("{\"startsAt\": \"soon\"}", Encoding.UTF8, "application/json"));

        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed_json");
    }

    [Fact]
    public async Task A_nan_coordinate_is_a_bad_request()
    {
        using var organizer = await _api.DemoOrganizerAsync();
        var json = "{\"startsAt\":\"2030-01-01T00:00:00Z\",\"salesOpenAt\":\"2029-01-01T00:00:00Z\",\"salesCloseAt\":\"2030-01-01T00:00:00Z\",\"seatMap\":{\"grades\":[{\"code\":\"R\",\"name\":\"R\",\"price\":1}],\"sections\":[{\"name\":\"F\",\"rows\":[{\"name\":\"A\",\"grade\":\"R\",\"from\":1,\"to\":2,\"spacing\":\"NaN\"}]}]}}";

        using var response = await organizer.PostAsync("/api/organizer/events/1/performances", new StringContent(json, Encoding.UTF8, "application/json"));

        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_non_json_content_type_is_unsupported(string mediaType)
    {
        using var response = await _api.Anonymous().PostAsync("/api/accounts/login", new StringContent("{\"email\":\"a@b.c\",\"password\":\"x\"}", Encoding.UTF8, mediaType));

        await Api.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_missing_content_type_is_unsupported()
    {
        using var organizer = await _api.DemoOrganizerAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}"));

        using var response = await organizer.PostAsync("/api/organizer/events", content);

        await Api.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_too_large_on_a_normal_endpoint()
    {
        var body = JsonSerializer.Serialize(new { email = "a@b.c", password = "password-1", displayName = new string('d', (1024 * 1024) + 1) });

        using var response = await _api.Anonymous().SendAsync(ExpectingContinue("/api/accounts/register", body));

        await Api.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request.too_large");
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_too_large_when_creating_an_event()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        var body = JsonSerializer.Serialize(Api.EventBody(description: new string('d', (1024 * 1024) + 1)), JsonSerializerOptions.Web);

        using var response = await organizer.SendAsync(ExpectingContinue("/api/organizer/events", body));

        await Api.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request.too_large");
    }

    [Fact]
    public async Task A_performance_upload_between_one_and_sixteen_megabytes_is_accepted()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await Api.CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        // Above the normal 1 MB limit, within the upload's 16 MB; the padding is an unknown member the binder ignores.
        var body = JsonSerializer.SerializeToNode(Api.PerformanceBody(), JsonSerializerOptions.Web)!.AsObject();
        body["padding"] = new string('p', 2 * 1024 * 1024);
        var json = body.ToJsonString();

        using var response = await organizer.SendAsync(ExpectingContinue($"/api/organizer/events/{id}/performances", json));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_performance_upload_over_sixteen_megabytes_is_too_large()
    {
        using var organizer = await _api.DemoOrganizerAsync();
        var json = "{\"seatMap\":{\"grades\":[],\"sections\":[]},\"padding\":\"" + new string('p', (16 * 1024 * 1024) + 1) + "\"}";

        using var response = await organizer.SendAsync(ExpectingContinue("/api/organizer/events/1/performances", json));

        await Api.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request.too_large");
    }

    [Theory]
    [InlineData("DELETE", "/api/events")]
    [InlineData("PATCH", "/api/organizer/events/1")]
    public async Task A_known_route_with_a_wrong_method_is_a_method_not_allowed_problem(string method, string path)
    {
        using var response = await _api.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await Api.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "route.method_not_allowed");
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("GET", "/nothing")]
    [InlineData("POST", "/api/events/1/tickets")]
    [InlineData("GET", "/api/events/not-a-number")]
    public async Task An_unknown_route_is_a_not_found_problem(string method, string path)
    {
        using var response = await _api.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await Api.AssertProblemAsync(response, HttpStatusCode.NotFound, "route.not_found");
    }

    [Theory]
    [InlineData("/api/events?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z")]
    [InlineData("/api/events?page=10000&pageSize=100")]
    [InlineData("/api/events?q=%00%27%22%3B--")]
    [InlineData("/api/events?from=0001-01-01T00:00:00%2B14:00")]
    [InlineData("/api/events/9223372036854775807")]
    [InlineData("/api/events/-1")]
    [InlineData("/api/performances/0/seats")]
    [InlineData("/api/events/99999999999999999999")]
    public async Task Edge_values_in_public_queries_never_fault(string path)
    {
        using var response = await _api.Anonymous().GetAsync(path);

        if (response.StatusCode != HttpStatusCode.OK)
        {
            await Api.AssertProblemAsync(response, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("{\"startsAt\":\"9999-12-31T23:59:59Z\",\"salesOpenAt\":\"0001-01-01T00:00:00Z\",\"salesCloseAt\":\"9999-12-31T23:00:00Z\",\"holdSeconds\":2147483647,\"maxSeatsPerOrder\":-2147483648}")]
    [InlineData("{\"seatMap\":{\"grades\":[{\"code\":\"R\",\"name\":\"R\",\"price\":9223372036854775807}],\"sections\":[{\"name\":\"F\",\"rows\":[{\"grade\":\"R\",\"from\":1,\"to\":3,\"x\":1e308,\"spacing\":1e308}]}]}}")]
    [InlineData("{\"seatMap\":{\"grades\":[{\"code\":\"R\",\"name\":\"R\",\"price\":1}],\"sections\":[{\"name\":\"F\",\"rows\":[{\"seats\":[{\"number\":\"\",\"x\":0,\"y\":0}]}]}]}}")]
    public async Task Edge_values_in_a_performance_upload_never_fault(string json)
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await Api.CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var body = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        var defaults = JsonSerializer.SerializeToNode(Api.PerformanceBody(), JsonSerializerOptions.Web)!.AsObject();
        foreach (var (name, value) in defaults)
        {
            if (!body.ContainsKey(name))
            {
                body[name] = value?.DeepClone();
            }
        }

        using var response = await organizer.PostAsync($"/api/organizer/events/{id}/performances", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_row_range_ending_at_int_max_is_created_without_spinning()
    {
        using var organizer = await _api.OrganizerAsync();
        var id = (await Api.CreateEventAsync(organizer)).GetProperty("id").GetInt64();
        var seatMap = new
        {
            grades = new object[] { new { code = "R", name = "R", price = 1000 } },
            sections = new object[] { new { name = "Floor", rows = new object[] { new { name = "A", grade = "R", from = int.MaxValue, to = int.MaxValue } } } },
        };

        using var response = await organizer.PostAsJsonAsync($"/api/organizer/events/{id}/performances", Api.PerformanceBody(seatMap: seatMap));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seatCount").GetInt32());
    }

    /// <summary>
    /// Sends the body after <c>100-continue</c>, as browsers' and apps' HTTP stacks do for large uploads: the server
    /// refuses on the declared length before the body is sent, so the 413 answer is read instead of a broken pipe.
    /// </summary>
    private static HttpRequestMessage ExpectingContinue(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        return request;
    }
}
