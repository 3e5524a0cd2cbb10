using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Accounts;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Guests;

namespace Ticketing.Application.Guests;

/// <summary>
/// Checks the code of a phone verification; when right, returns the phone's guest account (made on the first
/// verification: one phone, one guest account), for which the WebApi starts a guest session.
/// </summary>
public sealed record VerifyGuestPhone(Guid VerificationId, string? Code) : IRequest<Result<AccountDto>>;

public sealed class VerifyGuestPhoneHandler(IAppDbContext db, IUniqueViolationDetector uniqueViolations, IMapper mapper, TimeProvider clock)
    : IRequestHandler<VerifyGuestPhone, Result<AccountDto>>
{
    public async Task<Result<AccountDto>> Handle(VerifyGuestPhone request, CancellationToken cancellationToken)
    {
        var verification = await db.PhoneVerifications.SingleOrDefaultAsync(v => v.Id == request.VerificationId, cancellationToken);
        if (verification is null)
        {
            return Error.NotFound("guest.verification_not_found", "No phone verification has this id. Ask for a new code.");
        }

        var now = clock.GetUtcNow();
        var check = verification.Confirm(request.Code, now);
        if (check is CodeCheck.Wrong or CodeCheck.Accepted)
        {
            // The attempt counts, and the code is spent. Attempts is the row's concurrency token: of two tries that
            // race, one saves and the other is refused, so a code is used once and no guess goes uncounted.
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Error.Conflict("guest.code_busy", "Another attempt with this code was made at the same time. Try again.");
            }
        }

        switch (check)
        {
            case CodeCheck.Wrong:
                var left = PhoneVerification.MaxAttempts - verification.Attempts;
                return Error.Validation("guest.code_wrong", left > 0 ? $"The code is wrong. {left} attempts left." : "The code is wrong. Ask for a new one.")
                    with { Data = new Dictionary<string, object?> { ["attemptsLeft"] = left } };
            case CodeCheck.Used:
                return Error.Conflict("guest.code_used", "This code was used already. Ask for a new one.");
            case CodeCheck.Expired:
                return new Error(ErrorKind.Gone, "guest.code_expired", "This code has expired. Ask for a new one.");
            case CodeCheck.TooManyAttempts:
                return new Error(ErrorKind.Gone, "guest.code_attempts", "Too many wrong codes. Ask for a new one.");
        }

        var key = User.GuestKeyOf(verification.Phone);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == key, cancellationToken);
        if (user is null)
        {
            user = User.RegisterGuest(verification.Phone, now);
            db.Users.Add(user);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (uniqueViolations.IsUniqueViolation(e))
            {
                // Two verifications of the same phone finished at once: the other made the account; use it.
                db.ChangeTracker.Clear();
                user = await db.Users.SingleAsync(u => u.NormalizedEmail == key, cancellationToken);
            }
        }

        return mapper.Map<AccountDto>(user);
    }
}
