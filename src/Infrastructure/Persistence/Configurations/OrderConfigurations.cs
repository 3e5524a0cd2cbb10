using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Orders;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.HasKey(o => o.Id);
        b.Ignore(o => o.Number);
        b.Property(o => o.Version).IsConcurrencyToken();
        b.HasIndex(o => new { o.FanId, o.PerformanceId });
        b.HasIndex(o => new { o.Status, o.ExpiresAt });
        b.HasIndex(o => o.PaymentCheckAt);
        b.Property(o => o.PaymentKey).HasMaxLength(Order.MaxPaymentKeyLength);
        b.Property(o => o.RefundFeeSchedule).HasMaxLength(100);
        b.HasOne<Performance>().WithMany().HasForeignKey(o => o.PerformanceId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(o => o.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.HasKey(l => l.Id);
        b.Property(l => l.Label).HasMaxLength(Seat.MaxLabelLength).IsRequired();
        b.Property(l => l.GradeCode).HasMaxLength(PriceGrade.MaxCodeLength).IsRequired();
        b.HasOne<Seat>().WithMany().HasForeignKey(l => l.SeatId).OnDelete(DeleteBehavior.Restrict);
        // The unique index over live lines is declared per provider in AppDbContext (its filter is dialect SQL).
        b.HasIndex(l => l.OrderId);
    }
}
