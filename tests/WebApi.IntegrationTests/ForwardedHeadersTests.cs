using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;

namespace Ticketing.WebApi.IntegrationTests;

/// <summary>
/// Behind the WaitingRoom gateway every request comes from the gateway's address; the auth rate limit (per address)
/// must see the fan's address from <c>X-Forwarded-For</c>, but only when the request came from a trusted proxy.
/// Real HTTP over loopback (the factory runs Kestrel), so the connection's address is 127.0.0.1.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const int Limit = 3;

    [Fact]
    public async Task From_a_known_proxy_the_auth_limit_partitions_by_the_fans_forwarded_address()
    {
        await using var api = new LimitedApiFactory(trustLoopback: true);
        using var client = api.CreateApiClient();
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(client, "203.0.113.7")).StatusCode);
        }

        await Api.AssertProblemAsync(await LogInAsync(client, "203.0.113.7"), HttpStatusCode.TooManyRequests, "rate_limited");

        // Another fan behind the same gateway has a limit of its own.
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(client, "198.51.100.20")).StatusCode);
    }

    [Fact]
    public async Task From_an_unknown_address_X_Forwarded_For_is_ignored_so_it_cannot_dodge_the_limit()
    {
        await using var api = new LimitedApiFactory(trustLoopback: false);
        using var client = api.CreateApiClient();
        for (var i = 0; i < Limit; i++)
        {
            // A client making up a new address each time still counts as its own connection's address.
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(client, $"203.0.113.{i + 1}")).StatusCode);
        }

        await Api.AssertProblemAsync(await LogInAsync(client, "198.51.100.20"), HttpStatusCode.TooManyRequests, "rate_limited");
    }

    private static Task<HttpResponseMessage> LogInAsync(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/login")
        {
            Content = JsonContent.Create(new { email = "nobody@tests.ticketing", password = "password-1" }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return client.SendAsync(request);
    }

    private sealed class LimitedApiFactory(bool trustLoopback) : TicketingApiFactory
    {
        protected override int AuthPerMinute => Limit;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (!trustLoopback)
            {
                // Only a proxy elsewhere is trusted; this test's loopback connection is not.
                builder.UseSetting("ForwardedHeaders:KnownProxies", "192.0.2.10");
                builder.UseSetting("ForwardedHeaders:KnownNetworks", string.Empty);
            }
        }
    }
}
