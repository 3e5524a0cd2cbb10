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
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
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
    public static async Task<Results<Created<AccountDto>, ProblemHttpResult>> RegisterAccount(RegisterRequest body, IMediator mediator, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new Register(body.Email ?? string.Empty, body.Password ?? string.Empty, body.DisplayName), cancellationToken);
        return result.ToCreated(context, _ => "/api/me");
    }

    /// <summary>Exchanges an email and password for a bearer token (and a refresh token).</summary>
    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> LogIn(LoginRequest body, IMediator mediator, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new Login(body.Email ?? string.Empty, body.Password ?? string.Empty), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem(context);
        }

        return TypedResults.SignIn(UserClaims.ToPrincipal(result.Value), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    /// <summary>Exchanges a refresh token for a new bearer token; the account's current role is read again.</summary>
    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> Refresh(
        RefreshRequest body,
        IOptionsMonitor<BearerTokenOptions> tokenOptions,
        TimeProvider clock,
        IMediator mediator,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var invalid = Error.Unauthorized("account.invalid_refresh_token", "The refresh token is invalid or expired. Log in again.");
        var ticket = string.IsNullOrEmpty(body.RefreshToken)
            ? null
            : tokenOptions.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector.Unprotect(body.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires <= clock.GetUtcNow() || ticket.Principal.Identity?.IsAuthenticated != true)
        {
            return invalid.ToProblem(context);
        }

        var account = await mediator.Send(new GetAccount(ticket.Principal.UserId()), cancellationToken);
        return account.IsSuccess
            ? TypedResults.SignIn(UserClaims.ToPrincipal(account.Value), authenticationScheme: BearerTokenDefaults.AuthenticationScheme)
            : invalid.ToProblem(context);
    }

    /// <summary>The caller's account.</summary>
    public static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> GetMe(HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetAccount(context.User.UserId()), cancellationToken)).ToOk(context);

    /// <summary>Admin: makes an account a fan, an organizer or an admin.</summary>
    public static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> ChangeUserRole(Guid userId, ChangeRoleRequest body, IMediator mediator, HttpContext context, CancellationToken cancellationToken) =>
        (await mediator.Send(new ChangeRole(userId, body.Role ?? string.Empty), cancellationToken)).ToOk(context);
}

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangeRoleRequest(string? Role);
