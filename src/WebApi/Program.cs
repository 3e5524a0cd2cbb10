using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Ticketing.Application;
using Ticketing.Infrastructure;
using Ticketing.Http;
using Ticketing.Infrastructure.Health;
using Ticketing.Telemetry;
using Ticketing.WebApi.Endpoints;
using Ticketing.WebApi.FanIdentity;
using Ticketing.WebApi.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
DemoSettingsCheck.EnsureSafe(builder.Configuration, builder.Environment);

builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Bodies are small JSON documents; the seat-map upload raises its own limit.
    kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
    kestrel.AddServerHeader = false;
});

builder.AddServiceTelemetry("ticketing-webapi");
builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration, builder.Environment);
builder.Services.AddHealthChecks().AddInfrastructureChecks(ServiceTelemetry.ReadyTag);
builder.Services.AddOptions<SeatMapOptions>().Bind(builder.Configuration.GetSection("SeatMap")).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<Ticketing.WebApi.SeatMaps.SeatMapRenders>();
builder.Services.AddSingleton<Ticketing.WebApi.SeatMaps.SeatLayoutWarmer>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<Ticketing.WebApi.SeatMaps.SeatLayoutWarmer>());

builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
});
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
{
    var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
    ctx.ProblemDetails.Extensions.TryAdd("code", ProblemResults.CodeOf(status));
    ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
    if (status == StatusCodes.Status404NotFound && ctx.HttpContext.GetEndpoint() is null)
    {
        // Routing matched nothing (405 and 415 from routing keep their own status and code).
        ctx.ProblemDetails.Type = ProblemResults.TypeBase + "route/not_found";
        ctx.ProblemDetails.Title = ProblemResults.TitleOf(404);
        ctx.ProblemDetails.Detail ??= $"No endpoint answers {ctx.HttpContext.Request.Method} {ctx.HttpContext.Request.Path}.";
    }
});
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();

// Accounts: the shared framework's bearer tokens. Keys are shared through a key ring folder so that several
// instances accept each other's tokens.
var keysPath = builder.Configuration["DataProtection:KeysPath"] ?? Path.Combine(builder.Environment.ContentRootPath, "data", "keys");
builder.Services.AddDataProtection().SetApplicationName("Ticketing.WebApi").PersistKeysToFileSystem(new DirectoryInfo(keysPath));
builder.Services.AddAuthentication(BearerTokenDefaults.AuthenticationScheme)
    .AddBearerToken(o =>
    {
        o.BearerTokenExpiration = TimeSpan.FromHours(1);
        o.RefreshTokenExpiration = TimeSpan.FromDays(14);
    })
    .AddAdminSession();
// Hangfire's dashboard validates an antiforgery token on its POST actions when this service exists.
builder.Services.AddAntiforgery();
builder.Services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<BearerTokenOptions>, CachedBearerTokens.Setup>();
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(Roles.OrganizerPolicy, p => p.RequireRole(Roles.Organizer, Roles.Admin))
    .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin))
    .AddAdminDashboardPolicy();

builder.Services.AddOptions<FanIdentityOptions>().Bind(builder.Configuration.GetSection(FanIdentityOptions.SectionName))
    .PostConfigure(o => o.KeyFile ??= Path.Combine(keysPath, "fan-identity.pem"))
    .Validate(o => o.LifetimeSeconds is >= 30 and <= 3600 && !string.IsNullOrWhiteSpace(o.Issuer) && !string.IsNullOrWhiteSpace(o.Audience),
        "FanIdentity needs an Issuer, an Audience and LifetimeSeconds between 30 and 3600.")
    .ValidateOnStart();
builder.Services.AddSingleton<FanIdentityIssuer>();
builder.Services.AddTrustedProxies(builder.Configuration);
builder.Services.AddSingleton<RequestHealthWindow>(); // admission (issue 12): p99 and error rate for the waiting room
builder.Services.AddAccountSecurity(builder.Configuration);
builder.Services.AddDiscountRateLimit(builder.Configuration); // discounts (issue 13.2)
builder.Services.AddRegistrationProofOfWork(builder.Configuration);
builder.Services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.OnRejected = RateLimitRejection.WriteAsync;
    o.AddPolicy(AccountEndpoints.AuthRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = builder.Configuration.GetValue("RateLimits:AuthPerMinute", 20), Window = TimeSpan.FromMinutes(1) }));

    // Per fan (not per address: a stadium's fans share carrier NATs): a burst, then a steady refill.
    o.AddPolicy(OrderEndpoints.HoldRateLimit, context => RateLimitPartition.GetTokenBucketLimiter(
        context.User.Identity?.IsAuthenticated == true ? context.User.UserId().ToString() : context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = builder.Configuration.GetValue("RateLimits:HoldBurst", 10),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(60.0 / Math.Max(1, builder.Configuration.GetValue("RateLimits:HoldsPerMinute", 30))),
            QueueLimit = 0,
        }));
});

// --- Guest booking (issue 13.3): phone codes, guest sessions, lookups by booking number and phone ---
builder.Services.AddOptions<Ticketing.Application.Guests.GuestBookingOptions>()
    .Bind(builder.Configuration.GetSection(Ticketing.Application.Guests.GuestBookingOptions.SectionName))
    .Validate(o => o.CodesPerPhonePerHour >= 1 && o.ResendSeconds >= 0 && o.CodesPerHour >= 1 && o.SessionMinutes is >= 5 and <= 60
        && o.LookupTokenMinutes is >= 1 and <= 60 && o.LookupsPerNumber >= 1, "Guests: limits must be positive; SessionMinutes 5-60, LookupTokenMinutes 1-60.")
    .ValidateOnStart();
builder.Services.AddSingleton<Ticketing.WebApi.Guests.GuestLookupTokens>();
builder.Services.AddSingleton<Ticketing.WebApi.Guests.GuestLookupThrottle>();
builder.Services.AddAuthorizationBuilder().AddPolicy(GuestEndpoints.GuestPolicy, p => p.RequireRole(Ticketing.WebApi.Guests.GuestScope.Role));
builder.Services.AddRateLimiter(o =>
{
    // Per address: codes cost an SMS each, and guesses of codes and of booking phones must stay few.
    string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    o.AddPolicy(GuestEndpoints.CodeRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(AddressOf(context),
        _ => new FixedWindowRateLimiterOptions { PermitLimit = builder.Configuration.GetValue("RateLimits:GuestCodesPerHour", 20), Window = TimeSpan.FromHours(1) }));
    o.AddPolicy(GuestEndpoints.VerifyRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(AddressOf(context),
        _ => new FixedWindowRateLimiterOptions { PermitLimit = builder.Configuration.GetValue("RateLimits:GuestVerifiesPerMinute", 20), Window = TimeSpan.FromMinutes(1) }));
    o.AddPolicy(GuestEndpoints.LookupRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(AddressOf(context),
        _ => new FixedWindowRateLimiterOptions { PermitLimit = builder.Configuration.GetValue("RateLimits:GuestLookupsPerMinute", 10), Window = TimeSpan.FromMinutes(1) }));
});
// --- end guest booking ---

builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
{
    document.Info.Title = "Ticketing API";
    document.Info.Description = "Events, seat maps, accounts. Errors are RFC 9457 ProblemDetails with a stable `code`.";
    return Task.CompletedTask;
}));

var app = builder.Build();

// First: the client address every later step sees (rate limits, metrics access, logs) is the fan's when the request
// came through a trusted proxy (the WaitingRoom gateway), and the connection's own address otherwise.
app.UseForwardedHeaders();
app.Use(RequestHealthWindow.Middleware); // admission (issue 12): outside the exception handler, so its 500s count
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseUtf8JsonBodies();
app.MapBookingPages();
app.MapServiceTelemetry();
app.UseAuthentication();
SecurityStamps.UseRevokedTokensAsAnonymous(app);
app.UseAuthorization();
Ticketing.WebApi.Guests.GuestScope.UseGuestScope(app); // guest booking (issue 13.3): what a guest session may reach
app.UseRateLimiter();

app.MapOpenApi("/openapi/{documentName}.json");
app.UseSwaggerUI(o =>
{
    o.RoutePrefix = "docs";
    o.SwaggerEndpoint("/openapi/v1.json", "Ticketing API v1");
    o.DocumentTitle = "Ticketing API";
});

app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").AllowAnonymous();
app.MapAccountEndpoints();
app.MapFanIdentityEndpoints();
app.MapOrganizerEndpoints();
app.MapCatalogEndpoints();
app.MapInventoryEndpoints(); // admission (issue 12)
app.MapOrderEndpoints();
app.MapAdminEndpoints();
app.MapPaymentEndpoints();
app.MapTicketEndpoints();
app.MapWaitlistEndpoints(); // waitlist (issue 13.1)
app.MapDiscountEndpoints(); // discounts (issue 13.2)
app.MapTransferEndpoints(); // transfer (issue 13.4)
app.MapAdminJobsDashboard();
app.MapGuestEndpoints(); // guest booking (issue 13.3)

// No fallback endpoint: unknown routes get an empty 404 that UseStatusCodePages turns into ProblemDetails. A
// catch-all endpoint would also win over routing's own 405 (wrong method) and 415 (wrong content type) answers.
app.Run();

public partial class Program;
