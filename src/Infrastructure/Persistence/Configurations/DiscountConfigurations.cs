using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Discounts;
using Ticketing.Domain.Orders;

namespace Ticketing.Infrastructure.Persistence.Configurations;

/// <summary>The <c>Discounts</c> table (discounts and coupons of a performance) and the order lines that point to it.</summary>
internal sealed class DiscountConfiguration : IEntityTypeConfiguration<Discount>
{
    public void Configure(EntityTypeBuilder<Discount> b)
    {
        b.HasKey(d => d.Id);
        b.Ignore(d => d.IsCoupon);
        b.Property(d => d.Version).IsConcurrencyToken();
        b.Property(d => d.Name).HasMaxLength(Discount.MaxNameLength).IsRequired();
        b.Property(d => d.GradeCode).HasMaxLength(PriceGrade.MaxCodeLength);
        b.Property(d => d.Rule).HasMaxLength(Discount.MaxRuleLength);
        b.Property(d => d.Code).HasMaxLength(Discount.MaxCodeLength);
        b.HasIndex(d => d.PerformanceId);

        // A code names one coupon of a performance (EF Core filters out the nulls on providers that need it).
        b.HasIndex(d => new { d.PerformanceId, d.Code }).IsUnique();
        b.HasOne<Performance>().WithMany().HasForeignKey(d => d.PerformanceId).OnDelete(DeleteBehavior.Restrict);

        // A seat's chosen discount; the index also serves the count of live seats using a limited discount.
        b.HasMany<OrderLine>().WithOne().HasForeignKey(l => l.DiscountId).OnDelete(DeleteBehavior.Restrict);
    }
}
