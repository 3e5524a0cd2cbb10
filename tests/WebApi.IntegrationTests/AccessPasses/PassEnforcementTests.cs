using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.AccessPasses;

/// <summary>
/// A performance paced by a waiting room: holds need a pass that the WebApi checks with the room's JWKS alone. An
/// account room's pass names its account; an anonymous room's pass is bound to the first account that uses it.
/// Paying a held order needs no pass.
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
    public async Task An_account_pass_is_good_for_its_account_alone_so_a_leaked_one_is_refused()
    {
        var owner = await _api.FanAsync();
        var thief = await _api.FanAsync();
        var pass = _issuer.AccountPass(Room, [Paced], _api.Clock.GetUtcNow(), await AccountIdAsync(owner));

        // Presented first by another account: no first-use binding, the pass names its account.
        await AssertProblemAsync(await HoldAsync(thief, pass, 5_040), HttpStatusCode.Forbidden, "pass.other_account");
        Assert.Equal(HttpStatusCode.Created, (await HoldAsync(owner, pass, 5_041)).StatusCode);
        await AssertProblemAsync(await HoldAsync(thief, pass, 5_042), HttpStatusCode.Forbidden, "pass.other_account");
        Assert.Equal(0, (await thief.GetFromJsonAsync<JsonElement>("/api/me/orders")).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Paying_a_held_order_needs_no_pass_even_after_the_pass_expired()
    {
        // Admitted at T with the default 300 s pass; holds at T+2 min; pays at T+6 min, when the pass has expired.
        var fan = await _api.FanAsync();
        var admittedAt = _api.Clock.GetUtcNow();
        var pass = _issuer.AccountPass(Room, [Paced], admittedAt, await AccountIdAsync(fan), lifetime: TimeSpan.FromMinutes(5));
        _api.Clock.Advance(TimeSpan.FromMinutes(2));
        var held = await HoldAsync(fan, pass, 5_030);
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        var order = await held.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = order.GetProperty("id").GetString();

        _api.Clock.Advance(TimeSpan.FromMinutes(4));
        await AssertProblemAsync(await HoldAsync(fan, pass, 5_031), HttpStatusCode.Unauthorized, "pass.expired");
        var checkout = await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var paymentKey = (await checkout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paymentKey").GetString();
        var paid = await fan.PostAsJsonAsync("/api/payments/confirm", new { paymentKey, orderId, amount = order.GetProperty("totalAmount").GetInt64() });

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("paid", (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Paying_needs_the_order_to_be_the_callers_even_without_a_pass()
    {
        var fan = await _api.FanAsync();
        var order = await (await HoldAsync(fan, _issuer.AccountPass(Room, [Paced], _api.Clock.GetUtcNow(), await AccountIdAsync(fan)), 5_032)).Content.ReadFromJsonAsync<JsonElement>();
        var orderId = order.GetProperty("id").GetString();
        var paymentKey = (await (await fan.PostAsJsonAsync("/api/payments/simulated/checkout", new { orderId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paymentKey").GetString();

        var someoneElse = await _api.FanAsync();
        var response = await someoneElse.PostAsJsonAsync("/api/payments/confirm", new { paymentKey, orderId, amount = order.GetProperty("totalAmount").GetInt64() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("pending", (await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("status").GetString());
    }

    private static async Task<Guid> AccountIdAsync(HttpClient fan) =>
        (await fan.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetGuid();

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
