using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Accounts;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Before the server listens: applies migrations, ensures the configured admin account, and seeds the demo data
/// on an empty embedded database. Several instances starting at once are safe: migrations take the database's
/// own lock on SQL Server, and seeding checks for existing rows inside a transaction.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    IOptions<AdminAccountOptions> admin,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db.Database.IsSqlite())
        {
            var source = db.Database.GetDbConnection().DataSource;
            if (!string.IsNullOrEmpty(source) && source != ":memory:")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(source))!);
            }
        }

        if (options.Value.MigrateOnStartup)
        {
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(logger, db.Database.ProviderName ?? "?");
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers (seat maps) run while a hold writes; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher>();
        await EnsureAdminAsync(db, hasher, cancellationToken);
        if (options.Value.SeedDemoData)
        {
            await DemoData.SeedAsync(db, hasher, clock.GetUtcNow(), logger, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureAdminAsync(AppDbContext db, IPasswordHasher hasher, CancellationToken cancellationToken)
    {
        var (email, password) = (admin.Value.Email, admin.Value.Password);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            return;
        }

        if (!EmailAddress.IsAcceptable(email))
        {
            LogAdminEmailRefused(logger);
            throw new InvalidOperationException(
                "Admin:Email is not an acceptable address: after NFKC normalisation it must be plain ASCII with one '@'. Set Admin:Email to another address.");
        }

        var normalized = User.Normalize(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
        {
            db.Users.Add(User.Register(email, "Administrator", hasher.Hash(password), Role.Admin, clock.GetUtcNow()));
            LogAdminCreated(logger, email);
            await db.SaveChangesAsync(cancellationToken);
        }
        else if (user.Role != Role.Admin)
        {
            // Someone registered the configured address themselves (or it was demoted): promoting it would hand the
            // admin role to whoever chose that password. Refuse to start instead.
            LogAdminIsSelfRegistered(logger, user.Id);
            throw new InvalidOperationException(
                "Admin:Email names an existing account that is not an admin; an existing account is never promoted at start-up. "
                + "Set Admin:Email to an address without an account, or have an existing admin grant the role (PUT /api/admin/users/{id}/role).");
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Admin:Email names the existing non-admin account {UserId}; it is not promoted and the service does not start. Set Admin:Email to an address without an account.")]
    private static partial void LogAdminIsSelfRegistered(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Admin:Email is refused: after NFKC normalisation it must be plain ASCII with one '@'.")]
    private static partial void LogAdminEmailRefused(ILogger logger);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Database migrated ({Provider})")]
    private static partial void LogMigrated(ILogger logger, string provider);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Admin account {Email} created from configuration")]
    private static partial void LogAdminCreated(ILogger logger, string email);
}
