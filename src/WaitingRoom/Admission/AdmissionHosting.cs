using Microsoft.Extensions.Options;
using Quartz;
using StackExchange.Redis;
using Ticketing.WaitingRoom.Queue;

namespace Ticketing.WaitingRoom.Admission;

/// <summary>Registers the admission controller: Quartz (the WaitingRoom's clock), the lease, the inventory client and the signals.</summary>
internal static class AdmissionHosting
{
    public static IServiceCollection AddAdmissionController(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<WaitingRoomOptions>, AdmissionOptionsValidator>();
        services.AddSingleton<IControllerLease>(sp =>
            sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value.Store == StoreKind.Redis
                ? new RedisControllerLease(sp.GetRequiredService<IConnectionMultiplexer>())
                : new InProcessControllerLease());
        services.AddHttpClient<InventoryClient>();
        services.AddSingleton<AdmissionController>();
        services.AddSingleton<RoomOpenings>();
        services.AddSingleton<InventorySignals>();

        // Quartz reads the container's TimeProvider, so tests drive its triggers with their manual clock.
        services.AddQuartz(q =>
        {
            q.AddJob<RoomOpeningJob>(j => j.WithIdentity(RoomOpeningJob.Key).StoreDurably());
            q.AddJob<AdmissionControllerJob>(j => j.WithIdentity(AdmissionControllerJob.Key));
            q.AddTrigger(t => t
                .ForJob(AdmissionControllerJob.Key)
                .WithIdentity("admission-controller-each-second", "waitingroom")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(1)).RepeatForever()));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
