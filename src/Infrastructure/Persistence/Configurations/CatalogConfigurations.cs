using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Catalog;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.HasKey(u => u.Id);
        b.Property(u => u.Email).HasMaxLength(User.MaxEmailLength).IsRequired();
        b.Property(u => u.NormalizedEmail).HasMaxLength(User.MaxEmailLength).IsRequired();
        b.HasIndex(u => u.NormalizedEmail).IsUnique();
        b.Property(u => u.DisplayName).HasMaxLength(User.MaxDisplayNameLength).IsRequired();
        b.Property(u => u.PasswordHash).HasMaxLength(500).IsRequired();
    }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> b)
    {
        b.HasKey(t => t.Id);
        b.Property(t => t.UsedAt).IsConcurrencyToken();
        b.HasIndex(t => t.FamilyId);
        b.HasIndex(t => t.UserId);
        b.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> b)
    {
        b.HasKey(e => e.Id);
        b.Property(e => e.Title).HasMaxLength(Event.MaxTitleLength).IsRequired();
        b.Property(e => e.Category).HasMaxLength(Event.MaxCategoryLength).IsRequired();
        b.Property(e => e.Venue).HasMaxLength(Event.MaxVenueLength).IsRequired();
        b.Property(e => e.Description).HasMaxLength(Event.MaxDescriptionLength).IsRequired();
        b.HasIndex(e => e.OrganizerId);
        b.HasIndex(e => new { e.Status, e.Category });
        b.HasMany(e => e.Performances).WithOne().HasForeignKey(p => p.EventId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(e => e.Performances).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class PerformanceConfiguration : IEntityTypeConfiguration<Performance>
{
    public void Configure(EntityTypeBuilder<Performance> b)
    {
        b.HasKey(p => p.Id);
        b.Property(p => p.WaitingRoomId).HasMaxLength(Performance.MaxWaitingRoomIdLength);
        b.HasIndex(p => new { p.EventId, p.StartsAt });
        b.HasMany(p => p.Grades).WithOne().HasForeignKey(g => g.PerformanceId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany<Seat>().WithOne().HasForeignKey(s => s.PerformanceId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(p => p.Grades).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class PriceGradeConfiguration : IEntityTypeConfiguration<PriceGrade>
{
    public void Configure(EntityTypeBuilder<PriceGrade> b)
    {
        b.HasKey(g => g.Id);
        b.Property(g => g.Code).HasMaxLength(PriceGrade.MaxCodeLength).IsRequired();
        b.Property(g => g.Name).HasMaxLength(PriceGrade.MaxNameLength).IsRequired();
        b.Property(g => g.Color).HasMaxLength(32);
        b.HasIndex(g => new { g.PerformanceId, g.Code }).IsUnique();
    }
}

internal sealed class SeatConfiguration : IEntityTypeConfiguration<Seat>
{
    public void Configure(EntityTypeBuilder<Seat> b)
    {
        b.HasKey(s => s.Id);
        b.Property(s => s.Section).HasMaxLength(Seat.MaxSectionLength).IsRequired();
        b.Property(s => s.Row).HasMaxLength(Seat.MaxRowLength).IsRequired();
        b.Property(s => s.Number).HasMaxLength(Seat.MaxNumberLength).IsRequired();
        b.Property(s => s.Label).HasMaxLength(Seat.MaxLabelLength).IsRequired();
        b.Property(s => s.GradeCode).HasMaxLength(PriceGrade.MaxCodeLength).IsRequired();
        b.HasIndex(s => new { s.PerformanceId, s.Label }).IsUnique();
    }
}
