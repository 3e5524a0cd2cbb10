using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.AccessPasses;

/// <summary>
/// A performance paced by a waiting room: holds need a pass that the WebApi checks with the room's JWKS alone,
/// bound to the first account that uses it.
/// </summary>
public sealed class PassEnforcementTests : IAsyncLifetime
{
    private const long Paced = 2;
    private const string Room = "demo";
    private TestPassIssuer _issuer = null!;
    private BookingApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestPassIssuer.StartAsync();
        _api = new BookingApiFactory().With("AccessPasses:JwksUrl", _issuer.JwksUrl);
        var organizer = await _api.OrganizerAsync();
        var performance = await organizer.GetFromJsonAsync<JsonElement>($"/api/performances/{Paced}");
        var update = await organizer.PutAsJsonAsync($"/api/organizer/performances/{Paced}", new
        {
            startsAt = performance.GetProperty("startsAt").GetDateTimeOffset(),
            salesOpenAt = performance.GetProperty("salesOpenAt").GetDateTimeOffset(),
            salesCloseAt = performance.GetProperty("salesCloseAt").GetDateTimeOffset(),
            requiresQueuePass = true,
            waitingRoomId = Room,
        });
        update.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_pass_for_the_performance_lets_its_fan_hold()
    {
        var fan = await _api.FanAsync();

        var response = await HoldAsync(fan, _issuer.Pass(Room, [1, Paced], _api.Clock.GetUtcNow()), 10_001 - 5_000);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task The_pass_is_also_read_from_its_cookie()
    {
        var fan = await _api.FanAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/performances/{Paced}/holds")
        {
            Content = JsonContent.Create(new { seatIds = new[] { 5_002L } }),
        };
        request.Headers.Add("Cookie", "access_pass=" + _issuer.Pass(Room, [Paced], _api.Clock.GetUtcNow()));

        Assert.Equal(HttpStatusCode.Created, (await fan.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Performances_without_a_waiting_room_need_no_pass()
    {
        var fan = await _api.FanAsync();

        Assert.Equal(HttpStatusCode.Created, (await fan.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 3L } })).StatusCode);
    }

    [Fact]
    public async Task A_pass_used_by_a_second_account_is_refused()
    {
        var pass = _issuer.Pass(Room, [Paced], _api.Clock.GetUtcNow());
        var first = await _api.FanAsync();
        var second = await _api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await HoldAsync(first, pass, 5_010)).StatusCode);

        var response = await HoldAsync(second, pass, 5_011);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "pass.bound_to_another_account");
        Assert.Equal(HttpStatusCode.Created, (await HoldAsync(first, pass, 5_011)).StatusCode);
    }

    [Fact]
    public async Task Paying_for_a_paced_performance_needs_the_fans_own_pass()
    {
        var pass = _issuer.Pass(Room, [Paced], _api.Clock.GetUtcNow());
        var fan = await _api.FanAsync();
        var order = await (await HoldAsync(fan, pass, 5_030)).Content.ReadFromJsonAsync<JsonElement>();
        var orderId = order.GetProperty("id").GetString();
        var checkout = await (await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId })).Content.ReadFromJsonAsync<JsonElement>();
        var confirm = new { paymentKey = checkout.GetProperty("paymentKey").GetString(), orderId, amount = order.GetProperty("totalAmount").GetInt64() };

        await AssertProblemAsync(await fan.PostAsJsonAsync("/api/payments/confirm", confirm), HttpStatusCode.Unauthorized, "pass.required");
        var someoneElses = _issuer.Pass(Room, [Paced], _api.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.Created, (await HoldAsync(await _api.FanAsync(), someoneElses, 5_031)).StatusCode);
        await AssertProblemAsync(await ConfirmAsync(fan, confirm, someoneElses), HttpStatusCode.Forbidden, "pass.bound_to_another_account");

        var paid = await ConfirmAsync(fan, confirm, pass);

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("paid", (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    private static Task<HttpResponseMessage> ConfirmAsync(HttpClient fan, object body, string pass)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/confirm") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Access-Pass", pass);
        return fan.SendAsync(request);
    }

    public static TheoryData<string, int, string> BadPasses() => new()
    {
        { "missing", 401, "pass.required" },
        { "garbage", 401, "pass.invalid" },
        { "tampered", 401, "pass.invalid" },
        { "forged", 401, "pass.invalid" },
        { "alg-none", 401, "pass.invalid" },
        { "unknown-kid", 401, "pass.invalid" },
        { "wrong-audience", 401, "pass.invalid" },
        { "expired", 401, "pass.expired" },
        { "other-performance", 403, "pass.wrong_sale" },
        { "other-room", 403, "pass.wrong_sale" },
    };

    [Theory]
    [MemberData(nameof(BadPasses))]
    public async Task Bad_passes_are_refused_with_problem_details(string kind, int status, string code)
    {
        var fan = await _api.FanAsync();
        var now = _api.Clock.GetUtcNow();
        var pass = kind switch
        {
            "missing" => null,
            "garbage" => "not-a-pass",
            "tampered" => Tamper(_issuer.Pass(Room, [1], now), [1, Paced]),
            "forged" => TestPassIssuer.ForgedPass(Room, [Paced], now),
            "alg-none" => Unsigned(_issuer.Pass(Room, [Paced], now)),
            "unknown-kid" => _issuer.Pass(Room, [Paced], now, kid: "someone-elses-key"),
            "wrong-audience" => _issuer.Pass(Room, [Paced], now, audience: "another-api"),
            "expired" => _issuer.Pass(Room, [Paced], now - TimeSpan.FromMinutes(20), lifetime: TimeSpan.FromMinutes(5)),
            "other-performance" => _issuer.Pass(Room, [1], now),
            "other-room" => _issuer.Pass("another-room", [Paced], now),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = await HoldAsync(fan, pass, 5_020);

        await AssertProblemAsync(response, (HttpStatusCode)status, code);
        Assert.Equal(0, (await fan.GetFromJsonAsync<JsonElement>("/api/me/orders")).GetProperty("totalCount").GetInt32());
    }

    private static Task<HttpResponseMessage> HoldAsync(HttpClient fan, string? pass, long seat)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/performances/{Paced}/holds")
        {
            Content = JsonContent.Create(new { seatIds = new[] { seat } }),
        };
        if (pass is not null)
        {
            request.Headers.Add("X-Access-Pass", pass);
        }

        return fan.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    /// <summary>Swaps the payload for one covering more performances, keeping the original signature.</summary>
    private static string Tamper(string pass, long[] performances)
    {
        var parts = pass.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Decode(parts[1]))!;
        var changed = claims.ToDictionary(kv => kv.Key, kv => (object)kv.Value);
        changed["perfs"] = performances;
        return parts[0] + "." + TestPassIssuer.B64(JsonSerializer.SerializeToUtf8Bytes(changed)) + "." + parts[2];
    }

    private static string Unsigned(string pass)
    {
        var parts = pass.Split('.');
        return TestPassIssuer.B64(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}")) + "." + parts[1] + ".";
    }

    private static byte[] Decode(string segment)
    {
        var s = segment.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
