using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.AccessPasses;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Scheduling;
using Ticketing.Infrastructure.SeatChanges;
using Ticketing.Infrastructure.SeatLocks;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// The adapters. With no configuration: SQLite in <c>data/ticketing.db</c> under the content root. With
    /// <c>Database:Provider=SqlServer</c>: SQL Server at <c>ConnectionStrings:Ticketing</c>. EF Core interceptors
    /// registered as <see cref="IInterceptor"/> services join every context (in production: the live seat map's feed).
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminAccountOptions>().Bind(configuration.GetSection(AdminAccountOptions.SectionName));

        var provider = configuration[$"{DatabaseOptions.SectionName}:Provider"] ?? "Sqlite";
        var connectionString = configuration.GetConnectionString("Ticketing");
        var sqlServer = string.Equals(provider, "SqlServer", StringComparison.OrdinalIgnoreCase);
        if (sqlServer)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:Ticketing is empty.");
            }

            // Options are built once (singleton), not once per request: building them costs more than a hold's work.
            services.AddDbContext<SqlServerAppDbContext>(
                (sp, o) => o.UseSqlServer(connectionString).AddInterceptors(sp.GetServices<IInterceptor>()),
                ServiceLifetime.Scoped,
                ServiceLifetime.Singleton);
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqlServerAppDbContext>());
            services.AddScoped<IPendingOrderWriter, EfPendingOrderWriter>();
        }
        else
        {
            connectionString ??= $"Data Source={Path.Combine(environment.ContentRootPath, "data", "ticketing.db")}";
            var synchronous = configuration[$"{DatabaseOptions.SectionName}:SqliteSynchronous"] ?? "NORMAL";
            var pragmas = new SqlitePragmas(synchronous);
            services.AddDbContext<SqliteAppDbContext>(
                (sp, o) => o.UseSqlite(connectionString).AddInterceptors(pragmas).AddInterceptors(sp.GetServices<IInterceptor>()),
                ServiceLifetime.Scoped,
                ServiceLifetime.Singleton);
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
            var holdsConnectionString = connectionString;
            services.AddSingleton<IPendingOrderWriter>(sp => new SqliteGroupCommitOrderWriter(
                holdsConnectionString, synchronous, sp.GetRequiredService<ISeatChangeFeed>(), sp.GetRequiredService<ILogger<SqliteGroupCommitOrderWriter>>()));
        }

        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddSingleton<IUniqueViolationDetector, UniqueViolationDetector>();
        services.AddScoped<ISeatMapWriter, SeatMapWriter>();
        services.AddSingleton<IPasswordHasher, AspNetPasswordHasher>();
        // Registered after the initializer: hosted services start in order, so the jobs find the database migrated.
        services.AddHostedService<DatabaseInitializer>();
        services.AddScheduling(configuration, sqlServer, connectionString);
        services.AddSeatLocks(configuration);
        services.AddSeatChanges(configuration);
        services.AddAccessPasses(configuration);
        services.AddPayments(configuration);
        services.AddOptions<TicketOptions>().Bind(configuration.GetSection(TicketOptions.SectionName))
            .PostConfigure(o => o.KeyFile ??= Path.Combine(configuration["DataProtection:KeysPath"] ?? Path.Combine(environment.ContentRootPath, "data", "keys"), "ticket-signing.key"));
        services.AddSingleton<ITicketSigner, HmacTicketSigner>();
        Sms.SmsServiceCollectionExtensions.AddSms(services, configuration, environment); // guest booking (issue 13.3)
        return services;
    }
}
