using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Tickets;

namespace Ticketing.Infrastructure.Persistence.Configurations;

/// <summary>Face-value transfers (issue 13.4): one row per offer, its payment and the sender's payback.</summary>
internal sealed class TicketTransferConfiguration : IEntityTypeConfiguration<TicketTransfer>
{
    public void Configure(EntityTypeBuilder<TicketTransfer> b)
    {
        b.ToTable("TicketTransfers");
        b.HasKey(t => t.Id);
        b.Property(t => t.RecipientEmail).HasMaxLength(TicketTransfer.MaxEmailLength).IsRequired();
        b.Property(t => t.SeatLabel).HasMaxLength(Domain.Catalog.Seat.MaxLabelLength).IsRequired();
        b.Property(t => t.PaymentKey).HasMaxLength(TicketTransfer.MaxPaymentKeyLength);
        b.Property(t => t.PaybackPaymentKey).HasMaxLength(TicketTransfer.MaxPaymentKeyLength);
        b.Property(t => t.PaybackFailureCode).HasMaxLength(100);

        // An accept and a cancel (or two payments) racing on one transfer: the second save finds the version moved.
        b.Property(t => t.Version).IsConcurrencyToken();
        b.HasIndex(t => t.TicketId);
        b.HasIndex(t => t.SenderId);
        b.HasIndex(t => t.RecipientEmail);
        b.HasIndex(t => new { t.Status, t.ExpiresAt });
        b.HasIndex(t => t.PaymentCheckAt);
        b.HasIndex(t => t.PaybackNextAttemptAt);
        b.HasOne<Ticket>().WithMany().HasForeignKey(t => t.TicketId).OnDelete(DeleteBehavior.Restrict);
    }
}
