using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MediatR;
using Ticketing.Application.Accounts;
using Ticketing.Application.Common;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

internal static class AccountEndpoints
{
    public const string AuthRateLimit = "auth";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts").WithTags("Accounts");
        group.MapPost("/register", RegisterAccount)
            .RequireRateLimiting(AuthRateLimit)
            .WithDescription("While a waiting room takes fans, send X-Proof-Of-Work: {challenge}:{nonce} solving a challenge from GET /api/accounts/registration-challenge (403 pow.required / pow.invalid).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/registration-challenge", GetRegistrationChallenge)
            .WithSummary("A proof-of-work challenge for registering (difficulty 0: none is needed now).")
            .Produces<RegistrationChallengeResponse>();
        group.MapPost("/login", LogIn)
            .RequireRateLimiting(AuthRateLimit)
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/refresh", Refresh)
            .RequireRateLimiting(AuthRateLimit)
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        app.MapGet("/api/me", GetMe).WithTags("Accounts").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        app.MapPut("/api/admin/users/{userId:guid}/role", ChangeUserRole).WithTags("Admin")
            .RequireAuthorization(Roles.AdminPolicy)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Creates a fan account.</summary>
    public static async Task<Results<Created<AccountDto>, ProblemHttpResult>> RegisterAccount(RegisterRequest body, IMediator mediator, RegistrationProofOfWork proofOfWork, HttpContext context, CancellationToken cancellationToken)
    {
        if (await proofOfWork.CheckAsync(context, cancellationToken) is { } noWork)
        {
            return noWork.ToProblem(context);
        }

        var result = await mediator.Send(new Register(body.Email ?? string.Empty, body.Password ?? string.Empty, body.DisplayName), cancellationToken);
        return result.ToCreated(context, _ => "/api/me");
    }

    /// <summary>A challenge for registering: find a nonce so that SHA-256(challenge ":" nonce) starts with difficulty zero bits.</summary>
    public static async Task<Ok<RegistrationChallengeResponse>> GetRegistrationChallenge(RegistrationProofOfWork proofOfWork, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await proofOfWork.IssueAsync(cancellationToken));
    }

    /// <summary>
    /// Exchanges an email and password for a bearer token (and a refresh token). Attempts are limited per account
    /// (normalised email) as well as per address; a refusal reads the same whether the account exists or not.
    /// </summary>
    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> LogIn(LoginRequest body, IMediator mediator, LoginThrottle throttle, HttpContext context, CancellationToken cancellationToken)
    {
        if (throttle.Attempt(body.Email) is { } tooMany)
        {
            return tooMany.ToProblem(context);
        }

        var result = await mediator.Send(new Login(body.Email ?? string.Empty, body.Password ?? string.Empty), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem(context);
        }

        var session = await mediator.Send(new StartSession(result.Value.Id), cancellationToken);
        return session.IsSuccess
            ? TypedResults.SignIn(UserClaims.ToPrincipal(session.Value), authenticationScheme: BearerTokenDefaults.AuthenticationScheme)
            : session.Error!.ToProblem(context);
    }

    /// <summary>
    /// Exchanges a refresh token, once, for new tokens (the account's current role is read again). A refresh token
    /// used a second time ends every session of the account: 401 <c>account.refresh_token_reused</c>.
    /// </summary>
    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> Refresh(
        RefreshRequest body,
        IOptionsMonitor<BearerTokenOptions> tokenOptions,
        TimeProvider clock,
        IMediator mediator,
        SecurityStamps stamps,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var ticket = string.IsNullOrEmpty(body.RefreshToken)
            ? null
            : tokenOptions.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector.Unprotect(body.RefreshToken);
        var principal = ticket?.Principal;
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires <= clock.GetUtcNow() || principal?.Identity?.IsAuthenticated != true
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(SecurityStamps.RefreshTokenClaim), out var tokenId)
            || !Guid.TryParse(principal.FindFirstValue(SecurityStamps.StampClaim), out var stamp))
        {
            return RefreshSessionHandler.Invalid.ToProblem(context);
        }

        var session = await mediator.Send(new RefreshSession(userId, tokenId, stamp), cancellationToken);
        if (!session.IsSuccess)
        {
            stamps.Forget(userId);
            return session.Error!.ToProblem(context);
        }

        return TypedResults.SignIn(UserClaims.ToPrincipal(session.Value), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    /// <summary>The caller's account.</summary>
    public static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> GetMe(HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetAccount(context.User.UserId()), cancellationToken)).ToOk(context);

    /// <summary>Admin: makes an account a fan, an organizer or an admin.</summary>
    /// <remarks>The account's tokens stop working at once; it logs in again to get tokens with the new role.</remarks>
    public static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> ChangeUserRole(Guid userId, ChangeRoleRequest body, IMediator mediator, SecurityStamps stamps, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ChangeRole(userId, body.Role ?? string.Empty), cancellationToken);
        stamps.Forget(userId);
        return result.ToOk(context);
    }
}

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangeRoleRequest(string? Role);
