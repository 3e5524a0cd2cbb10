using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.AccessPasses;

/// <summary>
/// The waiting room's JWKS hangs, answers 500, then recovers, before the WebApi has ever seen a key: holds on a paced
/// performance answer 503 ProblemDetails with Retry-After (never 500), and work again once the keys come back.
/// </summary>
public sealed class PassKeysOutageTests : IAsyncLifetime
{
    private const long Paced = 2; // the demo's performance behind the waiting room "demo"
    private TestPassIssuer _issuer = null!;
    private WebApplication _jwks = null!;
    private string _mode = "hang";
    private BookingApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestPassIssuer.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _jwks = builder.Build();
        using var upstream = new HttpClient();
        var keys = await upstream.GetStringAsync(_issuer.JwksUrl);
        _jwks.MapGet("/jwks.json", async context =>
        {
            switch (_mode)
            {
                case "hang":
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
                case "error":
                    context.Response.StatusCode = 500;
                    break;
                default:
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(keys);
                    break;
            }
        });
        await _jwks.StartAsync();
        var address = _jwks.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _api = new BookingApiFactory()
            .With("AccessPasses:JwksUrl", address + "/jwks.json")
            .With("AccessPasses:JwksTimeout", "00:00:00.300");
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _jwks.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task Without_any_key_holds_answer_503_with_retry_after_until_the_keys_come_back()
    {
        var fan = await _api.FanAsync();

        var hanging = await HoldAsync(fan, 5_201);
        await AssertUnavailableAsync(hanging);

        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        _mode = "error";
        await AssertUnavailableAsync(await HoldAsync(fan, 5_201));

        _api.Clock.Advance(TimeSpan.FromSeconds(2));
        _mode = "serve";
        Assert.Equal(HttpStatusCode.Created, (await HoldAsync(fan, 5_201)).StatusCode);
    }

    private Task<HttpResponseMessage> HoldAsync(HttpClient fan, long seat)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/performances/{Paced}/holds") { Content = JsonContent.Create(new { seatIds = new[] { seat } }) };
        request.Headers.Add("X-Access-Pass", _issuer.Pass("demo", [Paced], _api.Clock.GetUtcNow()));
        return fan.SendAsync(request);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await Api.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "pass.keys_unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
