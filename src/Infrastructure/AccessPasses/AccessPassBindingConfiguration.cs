using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Infrastructure.AccessPasses;

internal sealed class AccessPassBindingConfiguration : IEntityTypeConfiguration<AccessPassBinding>
{
    public void Configure(EntityTypeBuilder<AccessPassBinding> b)
    {
        b.HasKey(x => x.Jti);
        b.Property(x => x.Jti).HasMaxLength(AccessPassBinding.MaxJtiLength);
        b.HasIndex(x => x.ExpiresAt);
    }
}
