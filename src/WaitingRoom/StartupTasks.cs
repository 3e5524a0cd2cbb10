using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Ticketing.WaitingRoom.Endpoints;
using Ticketing.WaitingRoom.Passes;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Tickets;

namespace Ticketing.WaitingRoom;

/// <summary>Loads every key at start (so a bad key fails the start, not the first fan) and seeds the demo room.</summary>
internal sealed partial class StartupTasks(
    IQueueStore store,
    TimeProvider time,
    RandomSource random,
    IOptions<WaitingRoomOptions> options,
    QueueTicketCodec tickets,
    AdminKey adminKey,
    SigningKeyRing signingKeys,
    ILogger<StartupTasks> logger) : IHostedService
{
    public const string DemoRoomId = "demo";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = tickets;
        _ = adminKey;
        LogSigningKey(logger, signingKeys.Current.Kid);
        if (!options.Value.SeedDemoRoom)
        {
            return Task.CompletedTask;
        }

        try
        {
            if (store.ListRooms().Count == 0)
            {
                var now = time.GetUtcNow();
                var demo = new RoomDefinition(DemoRoomId, [2], 1, 0, AdminEndpoints.DefaultPassLifetimeSeconds, now, RoomMode.Open)
                {
                    PowDifficulty = options.Value.DemoPowDifficulty,
                };
                store.PutRoom(demo, now.ToUnixTimeMilliseconds(), random.NextSeed());
                LogDemoRoom(logger, DemoRoomId);
            }
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // The service still starts; fans get 503 with Retry-After until Redis is back.
            LogSeedFailed(logger, ex);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check or seed the demo room: the queue store is unavailable")]
    private static partial void LogSeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing passes with key {Kid}")]
    private static partial void LogSigningKey(ILogger logger, string kid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded demo room '{RoomId}' (performance 2, 60 fans per minute); queue page at /queue/{RoomId}")]
    private static partial void LogDemoRoom(ILogger logger, string roomId);
}
