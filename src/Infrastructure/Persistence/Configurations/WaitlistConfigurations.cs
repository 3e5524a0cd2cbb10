using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Waitlist;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class WaitlistEntryConfiguration : IEntityTypeConfiguration<WaitlistEntry>
{
    public void Configure(EntityTypeBuilder<WaitlistEntry> b)
    {
        b.HasKey(e => e.Id);
        b.Property(e => e.GradeCode).HasMaxLength(PriceGrade.MaxCodeLength);
        b.Property(e => e.Version).IsConcurrencyToken();
        b.Ignore(e => e.SeatsWanted);

        // One row per fan and performance: two racing joins of one fan cannot both add a place.
        b.HasIndex(e => new { e.PerformanceId, e.FanId }).IsUnique();

        // The line: waiting entries of a performance in join order.
        b.HasIndex(e => new { e.PerformanceId, e.Status, e.JoinedAt, e.Id });
        b.HasOne<Performance>().WithMany().HasForeignKey(e => e.PerformanceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WaitlistOfferConfiguration : IEntityTypeConfiguration<WaitlistOffer>
{
    public void Configure(EntityTypeBuilder<WaitlistOffer> b)
    {
        b.HasKey(o => o.OrderId);
        b.Property(o => o.OrderId).ValueGeneratedNever();
        b.HasOne<Order>().WithOne().HasForeignKey<WaitlistOffer>(o => o.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<WaitlistEntry>().WithMany().HasForeignKey(o => o.EntryId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(o => new { o.FanId, o.PerformanceId });
        b.HasIndex(o => o.EntryId);
    }
}
