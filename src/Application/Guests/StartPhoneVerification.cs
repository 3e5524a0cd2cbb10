using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Guests;

namespace Ticketing.Application.Guests;

/// <summary>Sends a one-time code to a phone, the first step of a guest session.</summary>
public sealed record StartPhoneVerification(string? Phone) : IRequest<Result<PhoneVerificationDto>>;

/// <param name="VerificationId">Send it back with the code.</param>
/// <param name="Phone">The number the code went to, masked (all but the last four digits).</param>
public sealed record PhoneVerificationDto(Guid VerificationId, string Phone, DateTimeOffset ExpiresAt, int CodeLength, int MaxAttempts);

/// <summary>
/// One phone gets at most <see cref="GuestBookingOptions.CodesPerPhonePerHour"/> codes an hour, one per
/// <see cref="GuestBookingOptions.ResendSeconds"/>, and all phones together <see cref="GuestBookingOptions.CodesPerHour"/>;
/// the counts come from the stored verifications, so every instance agrees.
/// </summary>
public sealed class StartPhoneVerificationHandler(IAppDbContext db, ISmsSender sms, TimeProvider clock, IOptions<GuestBookingOptions> options)
    : IRequestHandler<StartPhoneVerification, Result<PhoneVerificationDto>>
{
    public async Task<Result<PhoneVerificationDto>> Handle(StartPhoneVerification request, CancellationToken cancellationToken)
    {
        if (PhoneNumber.Normalize(request.Phone) is not { } phone)
        {
            return GuestErrors.InvalidPhone;
        }

        if (!sms.IsAvailable)
        {
            return Error.Unavailable("sms.unavailable", "Phone verification is not available on this server.", TimeSpan.FromHours(1));
        }

        var settings = options.Value;
        var now = clock.GetUtcNow();
        var hourAgo = now - TimeSpan.FromHours(1);
        var recent = await db.PhoneVerifications.AsNoTracking()
            .Where(v => v.Phone == phone && v.CreatedAt > hourAgo)
            .Select(v => v.CreatedAt)
            .ToListAsync(cancellationToken);
        if (recent.Count >= settings.CodesPerPhonePerHour)
        {
            return TooMany("Too many codes were sent to this phone. Wait before asking again.", recent.Min() + TimeSpan.FromHours(1) - now);
        }

        var resend = TimeSpan.FromSeconds(settings.ResendSeconds);
        if (recent.Count > 0 && recent.Max() + resend > now)
        {
            return TooMany("A code was just sent to this phone. Wait before asking for another.", recent.Max() + resend - now);
        }

        if (await db.PhoneVerifications.CountAsync(v => v.CreatedAt > hourAgo, cancellationToken) >= settings.CodesPerHour)
        {
            return Error.Unavailable("sms.budget", "Phone verification is busy. Try again in a few minutes.", TimeSpan.FromMinutes(5));
        }

        var (verification, code) = PhoneVerification.Start(phone, now);
        db.PhoneVerifications.Add(verification);
        await db.SaveChangesAsync(cancellationToken);
        await sms.SendAsync(phone, $"[Ticketing] Your code is {code}. 인증번호 [{code}]", cancellationToken);
        return new PhoneVerificationDto(verification.Id, PhoneNumber.Mask(phone), verification.ExpiresAt, PhoneVerification.CodeLength, PhoneVerification.MaxAttempts);
    }

    private static Error TooMany(string message, TimeSpan retryAfter) =>
        new(ErrorKind.TooManyRequests, "guest.too_many_codes", message) { RetryAfter = retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter };
}
