using System.Net;
using System.Net.Http.Headers;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>
/// Access tokens are decrypted once per instance and remembered; remembering must never let a token through that
/// the framework alone would refuse.
/// </summary>
public sealed class AccessTokenCacheTests : IAsyncLifetime
{
    private readonly BookingApiFactory _api = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_remembered_token_is_still_refused_once_it_has_expired()
    {
        var fan = await _api.FanAsync();
        using (var first = await fan.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var again = await fan.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        _api.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var expired = await fan.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task A_remembered_token_changed_by_one_character_is_refused()
    {
        var fan = await _api.FanAsync();
        using (var known = await fan.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        }

        var token = fan.DefaultRequestHeaders.Authorization!.Parameter!;
        var i = token.Length / 2;
        var tampered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
        var other = _api.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tampered);

        using var response = await other.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Two_fans_keep_their_own_identities_through_the_cache()
    {
        var first = await _api.FanAsync("cache-first@test.ticketing");
        var second = await _api.FanAsync("cache-second@test.ticketing");

        for (var round = 0; round < 2; round++)
        {
            Assert.Contains("cache-first@test.ticketing", await first.GetStringAsync("/api/me"), StringComparison.Ordinal);
            Assert.Contains("cache-second@test.ticketing", await second.GetStringAsync("/api/me"), StringComparison.Ordinal);
        }
    }
}
