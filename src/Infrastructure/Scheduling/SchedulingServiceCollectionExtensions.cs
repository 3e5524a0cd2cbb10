using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Scheduling;

internal static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire: its storage (SQL Server in our database, or in memory), a server unless <c>Jobs:Enabled=false</c>,
    /// and the recurring jobs declared in <see cref="RecurringJobs"/>. The storage is this host's own service, not
    /// Hangfire's process-wide <c>JobStorage.Current</c>, and so is its job activator (not <c>JobActivator.Current</c>),
    /// so that two hosts in one process keep theirs apart.
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration, bool sqlServer, string connectionString)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>());
        var options = configuration.GetSection(SchedulingOptions.SectionName).Get<SchedulingOptions>() ?? new SchedulingOptions();
        var kind = options.Storage ?? (sqlServer ? JobStorageKind.SqlServer : JobStorageKind.InMemory);
        if (kind == JobStorageKind.SqlServer && !sqlServer)
        {
            throw new InvalidOperationException("Jobs:Storage=SqlServer needs Database:Provider=SqlServer: Hangfire keeps its tables in that database.");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobRunLog>();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<IJobAdmin, JobAdmin>();
        services.AddTransient<ExpireOrdersJob>();
        services.AddTransient<ReconcilePaymentsJob>();
        services.AddTransient<RetryPendingRefundsJob>();
        services.AddTransient<ReconcileTransfersJob>(); // transfer (issue 13.4)
        services.AddTransient<PurgeIdempotencyRecordsJob>();
        services.AddTransient<PurgePassBindingsJob>();
        services.AddTransient<PurgeSoldSeatLocksJob>();

        services.AddSingleton<JobStorage>(_ => kind == JobStorageKind.SqlServer
            ? new SqlServerStorage(() => new SqlConnection(connectionString), new SqlServerStorageOptions
            {
                // Hangfire creates and upgrades its own schema in our database.
                PrepareSchemaIfNecessary = true,
                SchemaName = "hangfire",
            })
            : new InMemoryStorage(new InMemoryStorageOptions
            {
                // The jobs keep no state of their own (the database is the truth), so an hour of history is plenty.
                MaxExpirationTime = TimeSpan.FromHours(1),
            }));
        // This host's own activator: AddHangfire's default resolves the process-wide JobActivator.Current, which
        // the last host to configure Hangfire has set to its own scope factory; a server would then build its
        // jobs from another host's services (its database, its run log), or from a disposed one.
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) => config
            .UseLogProvider(new DisposalSafeLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (!options.Enabled)
        {
            return services;
        }

        services.AddHostedService<RecurringJobsRegistration>();
        services.AddHangfireServer((provider, server) =>
        {
            var settings = provider.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            server.WorkerCount = settings.WorkerCount;
            server.SchedulePollingInterval = TimeSpan.FromMilliseconds(settings.SchedulePollingMilliseconds);
        });
        return services;
    }
}
