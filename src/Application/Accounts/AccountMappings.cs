using Mapster;
using Ticketing.Domain.Accounts;

namespace Ticketing.Application.Accounts;

/// <summary>How an account reads to its owner and to admins: the role in lower case.</summary>
public sealed class AccountMappings : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<User, AccountDto>()
            .Map(d => d.Role, s => s.Role.ToString().ToLowerInvariant());
}
