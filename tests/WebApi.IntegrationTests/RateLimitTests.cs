using System.Net;
using System.Net.Http.Json;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>An API of its own whose auth endpoints allow only a few requests a minute.</summary>
public sealed class RateLimitTests(RateLimitTests.StrictApiFactory factory) : IClassFixture<RateLimitTests.StrictApiFactory>
{
    [Fact]
    public async Task Auth_endpoints_answer_too_many_requests_with_retry_after_past_the_limit()
    {
        using var client = factory.CreateApiClient();
        for (var i = 0; i < StrictApiFactory.Limit; i++)
        {
            using var allowed = await client.PostAsJsonAsync("/api/accounts/login", new { email = "nobody@tests.ticketing", password = "password-1" });
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var refused = await client.PostAsJsonAsync("/api/accounts/login", new { email = "nobody@tests.ticketing", password = "password-1" });

        await Api.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(refused.Headers.RetryAfter);
        using var register = await client.PostAsJsonAsync("/api/accounts/register", new { email = Api.UniqueEmail(), password = "password-1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        using var catalog = await client.GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
    }

    public sealed class StrictApiFactory : TicketingApiFactory
    {
        public const int Limit = 3;

        protected override int AuthPerMinute => Limit;
    }
}
