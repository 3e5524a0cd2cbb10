using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.SeatLocks;

namespace Ticketing.Infrastructure.IntegrationTests.SeatLocks;

public sealed class SeatLockServiceCollectionExtensionsTests
{
    [Fact]
    public async Task Without_configuration_the_in_process_store_serves_seat_locks()
    {
        using var host = BuildHost([]);
        await host.StartAsync();

        var seatLock = host.Services.GetRequiredService<ISeatLock>();

        Assert.IsType<InProcessSeatLock>(seatLock);
        Assert.Same(seatLock, host.Services.GetRequiredService<ISeatLock>());
        await host.StopAsync();
    }

    [Fact]
    public async Task Store_Redis_with_a_connection_string_serves_the_redis_adapter_without_connecting_at_start()
    {
        using var host = BuildHost(new()
        {
            ["SeatLocks:Store"] = "Redis",
            ["SeatLocks:KeyPrefix"] = "prod:",
            ["SeatLocks:OperationTimeout"] = "00:00:00.750",
            ["ConnectionStrings:Redis"] = "127.0.0.1:1",
        });
        await host.StartAsync();

        Assert.IsType<RedisSeatLock>(host.Services.GetRequiredService<ISeatLock>());
        var options = host.Services.GetRequiredService<IOptions<SeatLockOptions>>().Value;
        Assert.Equal("127.0.0.1:1", options.RedisConnectionString);
        Assert.Equal("prod:", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromMilliseconds(750), options.OperationTimeout);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_host_refuses_to_start_with_bad_options_and_names_every_fault()
    {
        using var host = BuildHost(new()
        {
            ["SeatLocks:Store"] = "Redis",
            ["SeatLocks:KeyPrefix"] = "tk{1}:",
            ["SeatLocks:OperationTimeout"] = "00:00:00",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("KeyPrefix", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("OperationTimeout", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ConnectionStrings:Redis", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unparsable_redis_connection_string_is_a_validation_failure()
    {
        var result = new SeatLockOptionsValidator().Validate(null, new SeatLockOptions
        {
            Store = SeatLockStore.Redis,
            RedisConnectionString = "127.0.0.1:6379,noSuchOption=1",
        });

        Assert.True(result.Failed);
        Assert.Contains("not a valid Redis configuration", result.FailureMessage, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSeatLocks(builder.Configuration);
        return builder.Build();
    }
}
