using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;

namespace Ticketing.Application.Accounts;

/// <summary>A new fan account. Organizer and admin roles are granted by an admin, never self-chosen.</summary>
public sealed record Register(string Email, string Password, string? DisplayName) : IRequest<Result<AccountDto>>;

public sealed record AccountDto(Guid Id, string Email, string DisplayName, string Role);

public sealed class RegisterValidator : AbstractValidator<Register>
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;

    public RegisterValidator()
    {
        RuleFor(x => x.Email).NotEmpty().MaximumLength(User.MaxEmailLength).EmailAddress()
            .Must(Ticketing.Domain.Accounts.EmailAddress.IsAcceptable)
            .WithMessage("Use an email address written in ASCII letters, digits and symbols (look-alike characters are refused).");
        RuleFor(x => x.Password).NotEmpty().MinimumLength(MinPasswordLength).MaximumLength(MaxPasswordLength);
        RuleFor(x => x.DisplayName).MaximumLength(User.MaxDisplayNameLength);
    }
}

public sealed class RegisterHandler(IAppDbContext db, IPasswordHasher hasher, IUniqueViolationDetector uniqueViolations, IMapper mapper, TimeProvider clock)
    : IRequestHandler<Register, Result<AccountDto>>
{
    public async Task<Result<AccountDto>> Handle(Register request, CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(request.Email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return EmailTaken();
        }

        var user = User.Register(request.Email, request.DisplayName ?? string.Empty, hasher.Hash(request.Password), Role.Fan, clock.GetUtcNow());
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
        {
            return EmailTaken();
        }

        return mapper.Map<AccountDto>(user);
    }

    private static Error EmailTaken() =>
        Error.Conflict("account.email_taken", "An account with this email already exists. Log in instead, or use another email.");
}
