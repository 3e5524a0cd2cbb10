using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Guests;
using Ticketing.Domain.Orders;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class PhoneVerificationConfiguration : IEntityTypeConfiguration<PhoneVerification>
{
    public void Configure(EntityTypeBuilder<PhoneVerification> b)
    {
        b.HasKey(v => v.Id);
        b.Property(v => v.Phone).HasMaxLength(PhoneVerification.MaxPhoneLength).IsRequired();
        b.Property(v => v.CodeHash).HasMaxLength(64).IsRequired();
        // Two tries of one code that race: one saves, the other is refused (a code works once, every guess counts).
        b.Property(v => v.Attempts).IsConcurrencyToken();
        b.HasIndex(v => new { v.Phone, v.CreatedAt });
        b.HasIndex(v => v.CreatedAt);
    }
}

internal sealed class GuestBookingConfiguration : IEntityTypeConfiguration<GuestBooking>
{
    public void Configure(EntityTypeBuilder<GuestBooking> b)
    {
        b.HasKey(g => g.OrderId);
        b.Property(g => g.OrderId).ValueGeneratedNever();
        b.Property(g => g.BookingNumber).HasMaxLength(BookingNumber.Length).IsRequired();
        b.HasIndex(g => g.BookingNumber).IsUnique();
        b.Property(g => g.Name).HasMaxLength(GuestBooking.MaxNameLength).IsRequired();
        b.Property(g => g.Phone).HasMaxLength(PhoneVerification.MaxPhoneLength).IsRequired();
        b.Property(g => g.Email).HasMaxLength(GuestBooking.MaxEmailLength).IsRequired();
        b.HasIndex(g => g.GuestId);
        b.HasOne<Order>().WithOne().HasForeignKey<GuestBooking>(g => g.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(g => g.GuestId).OnDelete(DeleteBehavior.Restrict);
    }
}
