using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Guests;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Guests;

/// <summary>
/// The buyer check of a guest's order: the guest gives a name and an email for one of its orders (the phone is the
/// verified one) and gets the booking number to look it up later. Asking again for the same order answers the same
/// booking, unchanged.
/// </summary>
public sealed record CreateGuestBooking(Guid GuestId, Guid OrderId, string? Name, string? Email) : IRequest<Result<GuestBookingDto>>;

public sealed class CreateGuestBookingValidator : AbstractValidator<CreateGuestBooking>
{
    public CreateGuestBookingValidator()
    {
        RuleFor(x => x.Name).NotEmpty().Must(n => n!.Trim().Length is > 0 and <= GuestBooking.MaxNameLength)
            .WithMessage($"The buyer's name is required (at most {GuestBooking.MaxNameLength} characters).");
        RuleFor(x => x.Email).NotEmpty().MaximumLength(GuestBooking.MaxEmailLength)
            .Must(EmailAddress.IsAcceptable).WithMessage("Give an email address such as name@example.com.");
    }
}

public sealed class CreateGuestBookingHandler(IAppDbContext db, IUniqueViolationDetector uniqueViolations, IMediator mediator, TimeProvider clock)
    : IRequestHandler<CreateGuestBooking, Result<GuestBookingDto>>
{
    public async Task<Result<GuestBookingDto>> Handle(CreateGuestBooking request, CancellationToken cancellationToken)
    {
        var guest = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == request.GuestId && u.Role == Role.Guest, cancellationToken);
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == request.OrderId && o.FanId == request.GuestId, cancellationToken);
        if (guest is null || order is null)
        {
            return Error.NotFound("order.not_found", "You have no order with this id.");
        }

        if (order.Status is OrderStatus.Cancelled or OrderStatus.Expired)
        {
            return Error.Conflict("guest.order_closed", $"An order that is {order.Status} cannot be booked.");
        }

        var phone = guest.NormalizedEmail[User.GuestKeyPrefix.Length..];
        for (var attempt = 0; ; attempt++)
        {
            if (await db.GuestBookings.AnyAsync(b => b.OrderId == order.Id, cancellationToken))
            {
                break;
            }

            db.GuestBookings.Add(GuestBooking.Create(order.Id, guest.Id, BookingNumber.New(), request.Name!, phone, request.Email!, clock.GetUtcNow()));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateException e) when (uniqueViolations.IsUniqueViolation(e) && attempt < 3)
            {
                // The same order booked twice at once (the other won), or, once in ~10^14, a number already taken.
                db.ChangeTracker.Clear();
            }
        }

        return await mediator.Send(new GetGuestBooking(order.Id), cancellationToken);
    }
}
