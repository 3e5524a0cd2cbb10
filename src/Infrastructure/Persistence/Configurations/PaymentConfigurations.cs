using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Application.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.HasKey(p => p.Id);
        b.Property(p => p.PaymentKey).HasMaxLength(Order.MaxPaymentKeyLength).IsRequired();
        b.Property(p => p.Method).HasMaxLength(50);
        b.Property(p => p.CancelReason).HasMaxLength(Payment.MaxReasonLength);
        b.HasIndex(p => p.PaymentKey).IsUnique();
        // One recorded payment per order: a second approved payment for the same order can never be recorded.
        b.HasIndex(p => p.OrderId).IsUnique();
        b.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> b)
    {
        b.HasKey(r => r.Id);
        b.Ignore(r => r.Amount);
        b.Property(r => r.SeatIds).HasMaxLength(500).IsRequired();
        b.Property(r => r.FailureCode).HasMaxLength(100);
        b.HasIndex(r => r.OrderId);
        b.HasIndex(r => r.NextAttemptAt);
        b.HasOne<Order>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.HasKey(t => t.Id);
        b.Property(t => t.Label).HasMaxLength(Domain.Catalog.Seat.MaxLabelLength).IsRequired();
        b.Property(t => t.GradeCode).HasMaxLength(Domain.Catalog.PriceGrade.MaxCodeLength).IsRequired();
        // Two scans at once: the second save finds the status moved and is refused.
        b.Property(t => t.Status).IsConcurrencyToken();
        b.HasIndex(t => t.FanId);
        b.HasIndex(t => t.OrderId);
        b.HasOne<Order>().WithMany().HasForeignKey(t => t.OrderId).OnDelete(DeleteBehavior.Restrict);
        // The unique index over live tickets per seat is declared per provider in AppDbContext.
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.HasKey(r => r.Id);
        b.Property(r => r.Scope).HasMaxLength(50).IsRequired();
        b.Property(r => r.Key).HasMaxLength(IdempotencyRecord.MaxKeyLength).IsRequired();
        b.Property(r => r.RequestFingerprint).HasMaxLength(400).IsRequired();
        b.HasIndex(r => new { r.UserId, r.Scope, r.Key }).IsUnique();

        // The clean-up deletes by age.
        b.HasIndex(r => r.CreatedAt);
    }
}
