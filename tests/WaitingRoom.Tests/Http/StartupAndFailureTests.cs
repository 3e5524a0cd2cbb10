using Microsoft.Extensions.Options;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

public sealed class StartupAndFailureTests
{
    [Theory]
    [InlineData("WaitingRoom:AbandonAfterSeconds", "1")]
    [InlineData("WaitingRoom:TicketKey", "dG9vLXNob3J0")]
    [InlineData("WaitingRoom:AdminKey", "short")]
    [InlineData("WaitingRoom:Polling:MinIntervalMs", "0")]
    [InlineData("WaitingRoom:Store", "Redis")]
    public void Invalid_options_stop_the_start(string key, string value)
    {
        using var app = new WaitingRoomFactory(new() { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.True(Flatten(error).Any(e => e is OptionsValidationException), error.ToString());
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        yield return error;
        var inner = error is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)(error.InnerException is null ? [] : [error.InnerException]);
        foreach (var child in inner)
        {
            foreach (var e in Flatten(child))
            {
                yield return e;
            }
        }
    }

    [Fact]
    public async Task Redis_down_answers_503_with_retry_after_not_500()
    {
        using var app = new WaitingRoomFactory(new()
        {
            ["WaitingRoom:Store"] = "Redis",
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=500",
            ["WaitingRoom:SeedDemoRoom"] = "false",
        });
        using var fan = app.Fan();
        var response = await fan.PostAsync("/api/rooms/sale/join", null);
        await Json.AssertProblemAsync(response, 503, "store-unavailable");
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
    }
}
