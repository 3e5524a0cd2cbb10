using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

public sealed class StartupAndFailureTests
{
    [Theory]
    [InlineData("WaitingRoom:AbandonAfterSeconds", "1", "AbandonAfterSeconds")]
    [InlineData("WaitingRoom:TicketKey", "dG9vLXNob3J0", "TicketKey")]
    [InlineData("WaitingRoom:AdminKey", "short", "AdminKey")]
    [InlineData("WaitingRoom:Polling:MinIntervalMs", "0", "Polling")]
    [InlineData("WaitingRoom:Store", "Redis", "ConnectionStrings:Redis")]
    public void Invalid_options_are_rejected_with_the_setting_named(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<WaitingRoomOptions>().BindConfiguration(WaitingRoomOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WaitingRoomOptions>, WaitingRoomOptionsValidator>();
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WaitingRoomOptions>>().Value);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_with_invalid_options_does_not_start()
    {
        using var app = new WaitingRoomFactory(new() { ["WaitingRoom:AbandonAfterSeconds"] = "1" });
        Assert.ThrowsAny<Exception>(() => app.CreateClient());
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
