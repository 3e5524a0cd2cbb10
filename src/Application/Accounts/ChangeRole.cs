using FluentValidation;
using MapsterMapper;
using MediatR;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;

namespace Ticketing.Application.Accounts;

/// <summary>An admin makes an account a fan, an organizer or an admin.</summary>
public sealed record ChangeRole(Guid UserId, string Role) : IRequest<Result<AccountDto>>;

public sealed class ChangeRoleValidator : AbstractValidator<ChangeRole>
{
    public ChangeRoleValidator()
    {
        RuleFor(x => x.UserId).NotEmpty();
        RuleFor(x => x.Role).NotEmpty()
            .Must(r => Enum.GetNames<Role>().Contains(r, StringComparer.OrdinalIgnoreCase))
            .Must(r => !string.Equals(r, nameof(Role.Guest), StringComparison.OrdinalIgnoreCase)) // guest accounts come from a verified phone only
            .WithMessage("Role must be one of: fan, organizer, admin.");
    }
}

public sealed class ChangeRoleHandler(IAppDbContext db, IMapper mapper) : IRequestHandler<ChangeRole, Result<AccountDto>>
{
    public async Task<Result<AccountDto>> Handle(ChangeRole request, CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([request.UserId], cancellationToken);
        if (user is null)
        {
            return Error.NotFound("account.not_found", "No account has this id.");
        }

        user.ChangeRole(Enum.Parse<Role>(request.Role, ignoreCase: true));
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<AccountDto>(user);
    }
}

/// <summary>The caller's own account.</summary>
public sealed record GetAccount(Guid UserId) : IRequest<Result<AccountDto>>;

public sealed class GetAccountHandler(IAppDbContext db, IMapper mapper) : IRequestHandler<GetAccount, Result<AccountDto>>
{
    public async Task<Result<AccountDto>> Handle(GetAccount request, CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([request.UserId], cancellationToken);
        return user is null
            ? Error.NotFound("account.not_found", "The account no longer exists.")
            : mapper.Map<AccountDto>(user);
    }
}
