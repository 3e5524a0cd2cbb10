using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Application.Abstractions;

/// <summary>The database as the handlers see it: the sets they query and one save per command.</summary>
public interface IAppDbContext
{
    DbSet<User> Users { get; }

    DbSet<RefreshToken> RefreshTokens { get; }

    DbSet<Event> Events { get; }

    DbSet<Performance> Performances { get; }

    DbSet<PriceGrade> PriceGrades { get; }

    DbSet<Seat> Seats { get; }

    DbSet<Order> Orders { get; }

    DbSet<OrderLine> OrderLines { get; }

    DbSet<Payment> Payments { get; }

    DbSet<Ticket> Tickets { get; }

    DbSet<Refund> Refunds { get; }

    DbSet<IdempotencyRecord> IdempotencyRecords { get; }

    // ---- waitlist (issue 13.1) ----
    DbSet<Ticketing.Domain.Waitlist.WaitlistEntry> WaitlistEntries { get; }

    DbSet<Ticketing.Domain.Waitlist.WaitlistOffer> WaitlistOffers { get; }
    // ---- end waitlist ----
    // ---- Discounts (issue 13.2) ----
    DbSet<Ticketing.Domain.Discounts.Discount> Discounts { get; }

    // ---- end of discounts ----
    // --- Guest booking (issue 13.3) ---
    DbSet<Ticketing.Domain.Guests.PhoneVerification> PhoneVerifications { get; }

    DbSet<Ticketing.Domain.Guests.GuestBooking> GuestBookings { get; }
    // --- end guest booking ---
    // Transfer (issue 13.4)
    DbSet<TicketTransfer> TicketTransfers { get; }

    DatabaseFacade Database { get; }

    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Tells whether a failed save broke a unique index (a live seat taken twice, an email used twice).</summary>
public interface IUniqueViolationDetector
{
    bool IsUniqueViolation(DbUpdateException exception);
}
