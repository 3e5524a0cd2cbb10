using Quartz;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Admission;

/// <summary>
/// Quartz's job each second on every instance: schedules the openings of rooms created anywhere, then runs the
/// controller if this instance holds the lease. Never two at once on one instance.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class AdmissionControllerJob(
    AdmissionController controller,
    RoomOpenings openings,
    IQueueStore store,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<WaitingRoomOptions> options,
    ILogger<AdmissionControllerJob> logger) : IJob
{
    public static readonly JobKey Key = new("admission-controller", "waitingroom");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!options.Value.Admission.ControllerEnabled)
        {
            return;
        }

        try
        {
            await openings.EnsureAsync(store.ListRooms(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await controller.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or QueueStoreTimeoutException or TimeoutException)
        {
            // The store is away: the rooms cannot advance either; the next second tries again.
            LogStoreUnavailable(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admission controller skipped a second: the queue store is unavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);
}

/// <summary>
/// A scheduled room's opening as a Quartz trigger at <c>opensAt</c>: the pre-queue draw happens then, even if no fan
/// asks at that moment. Any operation after <c>opensAt</c> opens the room the same way (the draw is atomic and happens
/// once), so a missed trigger only delays the draw to the next request, never changes it.
/// </summary>
internal sealed class RoomOpeningJob(IQueueStore store, TimeProvider time, RandomSource random) : IJob
{
    public static readonly JobKey Key = new("room-opening", "waitingroom");
    public const string RoomIdKey = "roomId";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var roomId = context.MergedJobDataMap.GetString(RoomIdKey);
        if (roomId is not null)
        {
            store.Stats(roomId, time.GetUtcNow().ToUnixTimeMilliseconds(), random.NextSeed());
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Keeps one opening trigger per scheduled room on this instance's scheduler, at the room's current <c>opensAt</c>.</summary>
internal sealed class RoomOpenings(ISchedulerFactory schedulers)
{
    public static TriggerKey TriggerOf(string roomId) => new("open-" + roomId, "waitingroom");

    public async Task EnsureAsync(IReadOnlyList<RoomDefinition> rooms, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        foreach (var room in rooms)
        {
            if (room.Mode != RoomMode.Scheduled || room.OpensAt <= now)
            {
                continue;
            }

            var key = TriggerOf(room.Id);
            var existing = await scheduler.GetTrigger(key, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.StartTimeUtc == room.OpensAt)
            {
                continue;
            }

            var trigger = TriggerBuilder.Create()
                .WithIdentity(key)
                .ForJob(RoomOpeningJob.Key)
                .UsingJobData(RoomOpeningJob.RoomIdKey, room.Id)
                .StartAt(room.OpensAt)
                .Build();
            if (existing is null)
            {
                await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await scheduler.RescheduleJob(key, trigger, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
