using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Scheduling;

internal static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with its ADO store in our database (clustered on SQL Server).
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration, bool sqlServer, string connectionString)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(SchedulingOptions.SectionName).Get<SchedulingOptions>() ?? new SchedulingOptions();
        if (!options.Enabled)
        {
            services.AddSingleton<IJobAdmin, NoJobAdmin>();
            return services;
        }

        var jobsSqlite = sqlServer ? null : options.SqliteConnectionString ?? JobsFileBeside(connectionString);
        if (jobsSqlite is not null)
        {
            // Before the scheduler starts (hosted services start in order).
            services.AddHostedService(_ => new SqliteJobsFileSetup(jobsSqlite));
        }

        var runLog = new JobRunLog();
        services.AddSingleton(runLog);
        services.AddSingleton<IJobAdmin, JobAdmin>();

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = options.SchedulerName;
                if (options.InstanceId == "AUTO")
                {
                    s.GenerateInstanceId = true;
                }
                else
                {
                    s.InstanceId = options.InstanceId;
                }
            });
            q.UsePersistentStore(store =>
            {
                // Quartz creates its own tables in our database on first start (create-if-missing, then verify).
                store.ProvisionSchema();
                store.ConfigureStore(o => o.StoreJobDataAsStrings = true);
                store.UseSystemTextJsonSerializer();
                if (sqlServer)
                {
                    // Several instances share one scheduler: each firing runs on one node only.
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(5);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(15);
                    });
                    store.UseSqlServer(connectionString);
                }
                else
                {
                    // Quartz refuses to cluster on SQLite (its file locks are too coarse). The embedded default is
                    // one node; should several share a file, the expiry transition is idempotent (see ExpireDueOrders).
                    // Its tables live in a file of their own: SQLite has one writer per file, and the scheduler's
                    // bookkeeping writes (every firing) must not make holds wait for the lock.
                    store.UseSqlite(SqliteFactory.Instance, jobsSqlite!);
                }
            });
            q.AddJobListener(runLog, [Matchers.AllJobs()]);
            q.AddJob<ExpireOrdersJob>(j => j.WithIdentity(ExpireOrdersJob.Key).StoreDurably().WithDescription("Expires unpaid holds past their deadline"));
            q.AddTrigger(t => t
                .ForJob(ExpireOrdersJob.Key)
                .WithIdentity(ExpireOrdersJob.TriggerKey)
                .StartNow()
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromMilliseconds(options.ExpiryIntervalMilliseconds))
                    .RepeatForever()));
            q.AddJob<ReconcilePaymentsJob>(j => j.WithIdentity(ReconcilePaymentsJob.Key).StoreDurably().WithDescription("Settles payments whose outcome is unknown"));
            q.AddTrigger(t => t
                .ForJob(ReconcilePaymentsJob.Key)
                .WithIdentity(ReconcilePaymentsJob.TriggerKey)
                .StartNow()
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromMilliseconds(options.ReconcileIntervalMilliseconds))
                    .RepeatForever()));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>The scheduler's SQLite file next to the main one: <c>ticketing.db</c> gives <c>ticketing.jobs.db</c>.</summary>
    internal static string JobsFileBeside(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var main = builder.DataSource;
        if (string.IsNullOrEmpty(main) || main == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new InvalidOperationException("The job scheduler needs a database file; set Jobs:SqliteConnectionString or use a file for ConnectionStrings:Ticketing.");
        }

        var directory = Path.GetDirectoryName(main);
        var name = Path.GetFileNameWithoutExtension(main) + ".jobs" + Path.GetExtension(main);
        builder.DataSource = string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
        return builder.ToString();
    }
}
