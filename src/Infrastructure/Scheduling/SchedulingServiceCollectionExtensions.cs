using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Ticketing.Infrastructure.Scheduling;

internal static class SchedulingServiceCollectionExtensions
{
    /// <summary>Quartz with its ADO store in our database (tables come with our migrations), clustered.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration, bool sqlServer, string connectionString)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(SchedulingOptions.SectionName).Get<SchedulingOptions>() ?? new SchedulingOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddQuartz(q =>
        {
            q.SchedulerName = "ticketing";
            q.SchedulerId = options.InstanceId;
            q.UsePersistentStore(store =>
            {
                store.UseProperties = true;
                store.UseSystemTextJsonSerializer();
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(5);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(15);
                });
                if (sqlServer)
                {
                    store.UseSqlServer(connectionString);
                }
                else
                {
                    store.UseSqlite(SqliteFactory.Instance, connectionString);
                }
            });
            q.AddJob<ExpireOrdersJob>(j => j.WithIdentity(ExpireOrdersJob.Key).StoreDurably().WithDescription("Expires unpaid holds past their deadline"));
            q.AddTrigger(t => t
                .ForJob(ExpireOrdersJob.Key)
                .WithIdentity(ExpireOrdersJob.TriggerKey)
                .StartNow()
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromMilliseconds(options.ExpiryIntervalMilliseconds))
                    .RepeatForever()
                    .WithMisfireHandlingInstructionNextWithRemainingCount()));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
