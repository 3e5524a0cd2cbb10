using System.Globalization;
using System.Security.Claims;
using MediatR;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using QRCoder;
using Ticketing.Application.Accounts;
using Ticketing.Application.Common;
using Ticketing.Application.Guests;
using Ticketing.Application.Orders;
using Ticketing.Application.Payments;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Guests;
using Ticketing.Infrastructure.Sms;
using Ticketing.WebApi.Guests;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>
/// Guest booking (issue 13.3): a phone verified by a one-time code opens a short guest session (the phone's guest
/// account); the guest books like a fan on performances open to guests, and gets a booking number; anyone with the
/// number and the phone looks the booking up, sees its tickets and cancels it.
/// </summary>
internal static class GuestEndpoints
{
    public const string CodeRateLimit = "guest.codes";
    public const string VerifyRateLimit = "guest.verify";
    public const string LookupRateLimit = "guest.lookup";
    public const string GuestPolicy = "guest";

    public static IEndpointRouteBuilder MapGuestEndpoints(this IEndpointRouteBuilder app)
    {
        var guest = app.MapGroup("/api/guest").WithTags("Guest booking");
        guest.MapPost("/phone-verifications", StartGuestPhoneVerification)
            .AllowAnonymous()
            .RequireRateLimiting(CodeRateLimit)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        guest.MapPost("/phone-verifications/{verificationId:guid}/confirm", ConfirmGuestPhone)
            .AllowAnonymous()
            .RequireRateLimiting(VerifyRateLimit)
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        guest.MapPost("/bookings", CreateMyGuestBooking)
            .RequireAuthorization(GuestPolicy)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        guest.MapPost("/bookings/lookup", LookUpGuestBookingByNumber)
            .AllowAnonymous()
            .RequireRateLimiting(LookupRateLimit)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        const string lookupDescription = "Send the token of a lookup in the " + GuestLookupTokens.Header + " header; it opens this booking only (401 guest.lookup_required otherwise).";
        guest.MapGet("/bookings/{bookingNumber}", GetLookedUpGuestBooking).AllowAnonymous()
            .WithDescription(lookupDescription)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        var looked = guest.MapGroup("/bookings/{bookingNumber}").AllowAnonymous()
            .WithDescription(lookupDescription)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        looked.MapGet("/tickets/{ticketId}/qr", GetLookedUpTicketQr).Produces(StatusCodes.Status200OK, contentType: "image/png");
        looked.MapGet("/cancellation", QuoteLookedUpCancellation)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        looked.MapPost("/cancellation", CancelLookedUpBooking)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapGet("/api/dev/sms", ReadSimulatedSms).WithTags("Guest booking").AllowAnonymous()
            .WithSummary("Simulated SMS provider only (Development, or Sms:AllowSimulated): the last message sent to a phone.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>
    /// Sends a 6-digit code to the phone (Korean numbers as dialled, e.g. 010-1234-5678, or +country code). One phone
    /// gets a code a minute and five an hour (429 with Retry-After); the code lasts 5 minutes and allows 5 tries.
    /// </summary>
    public static async Task<Results<Accepted<PhoneVerificationDto>, ProblemHttpResult>> StartGuestPhoneVerification(
        PhoneVerificationRequest body, IMediator mediator, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new StartPhoneVerification(body.Phone), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Accepted($"/api/guest/phone-verifications/{result.Value.VerificationId}/confirm", result.Value)
            : result.Error!.ToProblem(context);
    }

    /// <summary>
    /// Checks the code. Right: bearer tokens of the phone's guest account (made on its first verification) with the
    /// <c>guest</c> role, good for <c>Guests:SessionMinutes</c> (30): hold and pay on performances open to guests, and
    /// see its own orders. Wrong: 400 with <c>attemptsLeft</c>; used 409; expired or out of attempts 410.
    /// </summary>
    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> ConfirmGuestPhone(
        Guid verificationId, PhoneCodeRequest body, IMediator mediator, TimeProvider clock, IOptions<GuestBookingOptions> options,
        HttpContext context, CancellationToken cancellationToken)
    {
        var account = await mediator.Send(new VerifyGuestPhone(verificationId, body.Code), cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error!.ToProblem(context);
        }

        var session = await mediator.Send(new StartSession(account.Value.Id), cancellationToken);
        if (!session.IsSuccess)
        {
            return session.Error!.ToProblem(context);
        }

        var principal = UserClaims.ToPrincipal(session.Value);
        var until = clock.GetUtcNow() + TimeSpan.FromMinutes(options.Value.SessionMinutes);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(GuestScope.UntilClaim, until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return TypedResults.SignIn(principal, authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// The buyer check of the guest's order (pending or paid): the buyer's name and email. 201 with the booking number
    /// (the same booking when asked again for the order). Keep the number: with the phone it finds the booking later.
    /// </summary>
    public static async Task<Results<Created<GuestBookingDto>, ProblemHttpResult>> CreateMyGuestBooking(
        GuestBookingRequest body, IMediator mediator, HttpContext context, CancellationToken cancellationToken)
    {
        if (!OrderMapping.TryParseNumber(body.OrderId, out var orderId))
        {
            return Error.NotFound("order.not_found", "You have no order with this id.").ToProblem(context);
        }

        var result = await mediator.Send(new CreateGuestBooking(context.User.UserId(), orderId, body.Name, body.Email), cancellationToken);
        return result.ToCreated(context, b => $"/api/guest/bookings/{b.BookingNumber}");
    }

    /// <summary>
    /// Finds a booking by its number and the buyer's phone: 200 with the booking (order, tickets with QR content) and a
    /// lookup token for its other endpoints. No such number and a wrong phone answer the same 404. Limited per address
    /// (<c>RateLimits:GuestLookupsPerMinute</c>) and per booking number (<c>Guests:LookupsPerNumber</c> failures per
    /// 15 minutes), 429 with Retry-After.
    /// </summary>
    public static async Task<Results<Ok<GuestLookupResponse>, ProblemHttpResult>> LookUpGuestBookingByNumber(
        GuestLookupRequest body, IMediator mediator, GuestLookupThrottle throttle, GuestLookupTokens tokens, HttpContext context, CancellationToken cancellationToken)
    {
        var number = BookingNumber.Normalize(body.BookingNumber);
        var key = number ?? (body.BookingNumber ?? string.Empty).Trim().ToUpperInvariant();
        if (key.Length > 32)
        {
            key = key[..32];
        }

        if (throttle.Check(key) is { } tooMany)
        {
            return tooMany.ToProblem(context);
        }

        var found = await mediator.Send(new LookUpGuestBooking(body.BookingNumber, body.Phone), cancellationToken);
        var booking = found.IsSuccess ? await mediator.Send(new GetGuestBooking(found.Value), cancellationToken) : default;
        if (!found.IsSuccess || !booking.IsSuccess)
        {
            throttle.Failed(key);
            return (found.Error ?? booking.Error)!.ToProblem(context);
        }

        context.Response.Headers.CacheControl = "no-store";
        var (token, expiresAt) = tokens.Issue(found.Value, number!);
        return TypedResults.Ok(new GuestLookupResponse(token, expiresAt, booking.Value));
    }

    /// <summary>The looked-up booking again (order status, tickets with QR content).</summary>
    public static async Task<Results<Ok<GuestBookingDto>, ProblemHttpResult>> GetLookedUpGuestBooking(
        string bookingNumber, GuestLookupTokens tokens, IMediator mediator, HttpContext context, CancellationToken cancellationToken)
    {
        if (LookedUpOrder(bookingNumber, tokens, context) is not { } orderId)
        {
            return LookupRequired(context);
        }

        context.Response.Headers.CacheControl = "no-store";
        return (await mediator.Send(new GetGuestBooking(orderId), cancellationToken)).ToOk(context);
    }

    /// <summary>A ticket of the looked-up booking as a QR code PNG.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetLookedUpTicketQr(
        string bookingNumber, string ticketId, GuestLookupTokens tokens, IMediator mediator, HttpContext context, CancellationToken cancellationToken)
    {
        if (LookedUpOrder(bookingNumber, tokens, context) is not { } orderId)
        {
            return LookupRequired(context);
        }

        var booking = await mediator.Send(new GetGuestBooking(orderId), cancellationToken);
        if (!booking.IsSuccess)
        {
            return booking.Error!.ToProblem(context);
        }

        var ticket = booking.Value.Tickets.FirstOrDefault(t => string.Equals(t.Ticket.Id.ToString(), ticketId, StringComparison.OrdinalIgnoreCase));
        if (ticket is null)
        {
            return Error.NotFound("ticket.not_found", "This booking has no ticket with this id.").ToProblem(context);
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(ticket.QrContent, QRCodeGenerator.ECCLevel.Q);
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(new PngByteQRCode(data).GetGraphic(8), "image/png");
    }

    /// <summary>What cancelling seats of the looked-up booking (all when <c>seatIds</c> is absent) would refund now, by the order's fee schedule.</summary>
    public static async Task<Results<Ok<CancellationQuoteDto>, ProblemHttpResult>> QuoteLookedUpCancellation(
        string bookingNumber, GuestLookupTokens tokens, IMediator mediator, HttpContext context, CancellationToken cancellationToken, long[]? seatIds = null) =>
        LookedUpOrder(bookingNumber, tokens, context) is { } orderId
            ? (await mediator.Send(new QuoteGuestCancellation(orderId, seatIds), cancellationToken)).ToOk(context)
            : LookupRequired(context);

    /// <summary>
    /// Cancels seats of the looked-up paid booking (all when <c>seatIds</c> is absent) by the refund rules of any
    /// paid order: the price less the schedule's fee is refunded, the tickets are voided, the seats return to sale.
    /// </summary>
    public static async Task<Results<Ok<RefundDto>, ProblemHttpResult>> CancelLookedUpBooking(
        string bookingNumber, CancellationRequest? body, GuestLookupTokens tokens, IMediator mediator, HttpContext context, CancellationToken cancellationToken) =>
        LookedUpOrder(bookingNumber, tokens, context) is { } orderId
            ? (await mediator.Send(new CancelGuestBooking(orderId, body?.SeatIds), cancellationToken)).ToOk(context)
            : LookupRequired(context);

    /// <summary>The last message the simulated SMS provider "sent" to a phone: how a developer reads a code.</summary>
    public static Results<Ok<SentSms>, ProblemHttpResult> ReadSimulatedSms(string? phone, HttpContext context)
    {
        if (context.RequestServices.GetService<SimulatedSmsSender>() is not { } simulated)
        {
            return Error.NotFound("sms.simulator_off", "The simulated SMS provider is not enabled.").ToProblem(context);
        }

        if (PhoneNumber.Normalize(phone) is not { } e164)
        {
            return Error.Validation("guest.phone_invalid", "Give the phone number the code was sent to.").ToProblem(context);
        }

        context.Response.Headers.CacheControl = "no-store";
        return simulated.LastTo(e164) is { } sms
            ? TypedResults.Ok(sms)
            : Error.NotFound("sms.none", "No message was sent to this phone.").ToProblem(context);
    }

    private static Guid? LookedUpOrder(string bookingNumber, GuestLookupTokens tokens, HttpContext context) =>
        tokens.OrderOf(context.Request.Headers[GuestLookupTokens.Header].ToString(), BookingNumber.Normalize(bookingNumber));

    private static ProblemHttpResult LookupRequired(HttpContext context) =>
        Error.Unauthorized("guest.lookup_required", "Look the booking up with its number and phone first; send the token it gives in the X-Lookup-Token header.")
            .ToProblem(context);
}

public sealed record PhoneVerificationRequest(string? Phone);

public sealed record PhoneCodeRequest(string? Code);

public sealed record GuestBookingRequest(string? OrderId, string? Name, string? Email);

public sealed record GuestLookupRequest(string? BookingNumber, string? Phone);

/// <summary>A found booking, and the token (send it in the X-Lookup-Token header) that opens it until it expires.</summary>
public sealed record GuestLookupResponse(string LookupToken, DateTimeOffset ExpiresAt, GuestBookingDto Booking);
