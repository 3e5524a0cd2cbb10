using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;

namespace Ticketing.Application.Accounts;

/// <summary>Checks an email and password; the WebApi turns the account into a bearer token.</summary>
public sealed record Login(string Email, string Password) : IRequest<Result<AccountDto>>;

public sealed class LoginValidator : AbstractValidator<Login>
{
    public LoginValidator()
    {
        RuleFor(x => x.Email).NotEmpty().MaximumLength(User.MaxEmailLength);
        RuleFor(x => x.Password).NotEmpty().MaximumLength(RegisterValidator.MaxPasswordLength);
    }
}

public sealed class LoginHandler(IAppDbContext db, IPasswordHasher hasher, IMapper mapper) : IRequestHandler<Login, Result<AccountDto>>
{
    /// <summary>
    /// One message whether the email is unknown or the password wrong, so the answer never tells which emails exist.
    /// </summary>
    public const string FailureMessage =
        "The email or password is wrong. If you have no account yet, register first.";

    // Verifying against a throwaway hash when the email is unknown keeps both failures equally slow.
    private static string? _dummyHash;

    public async Task<Result<AccountDto>> Handle(Login request, CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(request.Email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
        {
            hasher.Verify(_dummyHash ??= hasher.Hash(Guid.NewGuid().ToString("N")), request.Password);
            return Error.Unauthorized("account.invalid_credentials", FailureMessage);
        }

        var check = hasher.Verify(user.PasswordHash, request.Password);
        if (check == PasswordCheck.Failed)
        {
            return Error.Unauthorized("account.invalid_credentials", FailureMessage);
        }

        if (check == PasswordCheck.SuccessRehashNeeded)
        {
            user.ChangePasswordHash(hasher.Hash(request.Password));
            await db.SaveChangesAsync(cancellationToken);
        }

        return mapper.Map<AccountDto>(user);
    }
}
