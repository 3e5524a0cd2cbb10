using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Catalog;
using Ticketing.Application.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// The database. Each provider has its own subclass so that each keeps its own migration set
/// (<see cref="SqliteAppDbContext"/>, <see cref="SqlServerAppDbContext"/>).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options), IAppDbContext
{
    public DbSet<User> Users => Set<User>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<Event> Events => Set<Event>();

    public DbSet<Performance> Performances => Set<Performance>();

    public DbSet<PriceGrade> PriceGrades => Set<PriceGrade>();

    public DbSet<Seat> Seats => Set<Seat>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderLine> OrderLines => Set<OrderLine>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<Ticket> Tickets => Set<Ticket>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    // ---- waitlist (issue 13.1) ----
    public DbSet<Ticketing.Domain.Waitlist.WaitlistEntry> WaitlistEntries => Set<Ticketing.Domain.Waitlist.WaitlistEntry>();

    public DbSet<Ticketing.Domain.Waitlist.WaitlistOffer> WaitlistOffers => Set<Ticketing.Domain.Waitlist.WaitlistOffer>();
    // ---- end waitlist ----
    // ---- Discounts (issue 13.2) ----
    public DbSet<Ticketing.Domain.Discounts.Discount> Discounts => Set<Ticketing.Domain.Discounts.Discount>();

    // ---- end of discounts ----
    // --- Guest booking (issue 13.3) ---
    public DbSet<Ticketing.Domain.Guests.PhoneVerification> PhoneVerifications => Set<Ticketing.Domain.Guests.PhoneVerification>();

    public DbSet<Ticketing.Domain.Guests.GuestBooking> GuestBookings => Set<Ticketing.Domain.Guests.GuestBooking>();
    // --- end guest booking ---
    // Transfer (issue 13.4)
    public DbSet<TicketTransfer> TicketTransfers => Set<TicketTransfer>();

    /// <summary>The filter of the unique index over live order lines, in this provider's SQL dialect.</summary>
    protected abstract string LiveLineFilter { get; }

    /// <summary>The filter of the unique index over tickets that are not voided, in this provider's SQL dialect.</summary>
    protected abstract string LiveTicketFilter { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        modelBuilder.Entity<OrderLine>()
            .HasIndex(l => new { l.PerformanceId, l.SeatId })
            .IsUnique()
            .HasFilter(LiveLineFilter)
            .HasDatabaseName("UX_OrderLines_LiveSeat");
        modelBuilder.Entity<Ticket>()
            .HasIndex(t => new { t.PerformanceId, t.SeatId })
            .IsUnique()
            .HasFilter(LiveTicketFilter)
            .HasDatabaseName("UX_Tickets_LiveSeat");
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    protected override string LiveLineFilter => "\"IsLive\" = 1";

    protected override string LiveTicketFilter => "\"Status\" <> 2";

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var gate = SqliteWriteGate.For(Database.GetConnectionString());
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type and EF Core 6 cannot compare DateTimeOffset text there; we store UTC
        // instants as sortable integers instead.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options)
{
    protected override string LiveLineFilter => "[IsLive] = 1";

    protected override string LiveTicketFilter => "[Status] <> 2";
}
