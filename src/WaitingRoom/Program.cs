using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Ticketing.Http;
using Ticketing.WaitingRoom;
using Ticketing.WaitingRoom.Admission;
using Ticketing.WaitingRoom.Endpoints;
using Ticketing.WaitingRoom.Errors;
using Ticketing.WaitingRoom.Gateway;
using Ticketing.WaitingRoom.Identity;
using Ticketing.WaitingRoom.Passes;
using Ticketing.Telemetry;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Telemetry;
using Ticketing.WaitingRoom.Tickets;

var builder = WebApplication.CreateBuilder(args);
DemoSettingsCheck.EnsureSafe(builder.Configuration, builder.Environment);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    // Own port by default, so the booking WebApi and the waiting room run side by side.
    builder.WebHost.UseUrls("http://localhost:5080");
}

builder.AddServiceTelemetry("ticketing-waitingroom");
var services = builder.Services;
services.AddWaitingRoomHealthChecks();
services.AddWaitingRoomOpenApi();
services.AddOptions<WaitingRoomOptions>().BindConfiguration(WaitingRoomOptions.Section).ValidateOnStart();
services.AddSingleton<IValidateOptions<WaitingRoomOptions>, WaitingRoomOptionsValidator>();
services.AddSingleton(TimeProvider.System);
services.AddSingleton<RandomSource>();
services.AddSingleton<IQueueStore>(sp =>
{
    var options = sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value;
    if (options.Store != StoreKind.Redis)
    {
        return new InProcessQueueStore();
    }

    return new RedisQueueStore(sp.GetRequiredService<IConnectionMultiplexer>());
});

// Resolved only with WaitingRoom:Store=Redis; the container disposes the connection at shutdown.
services.AddSingleton<IConnectionMultiplexer>(sp =>
    ConnectionMultiplexer.Connect(sp.GetRequiredService<IConfiguration>().GetConnectionString("Redis")!));
services.AddSingleton(sp => new QueueTicketCodec(KeyMaterial.TicketKey(
    sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value,
    KeyMaterial.ResolveDirectory(sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()))));
services.AddSingleton(sp => KeyMaterial.AdminKey(
    sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value,
    KeyMaterial.ResolveDirectory(sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()),
    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Ticketing.WaitingRoom.AdminKey")));
services.AddSingleton(sp => KeyMaterial.SigningKeys(
    sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value,
    KeyMaterial.ResolveDirectory(sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()),
    sp.GetRequiredService<TimeProvider>()));
services.AddSingleton(sp =>
{
    var pass = sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value.Pass;
    return new PassIssuer(sp.GetRequiredService<SigningKeyRing>(), pass.Issuer, pass.Audience);
});
// Account rooms: the fan id is derived from the account with a key derived from the ticket key (the same on every
// instance); the WebApi's fan identity is checked with its identity JWKS.
services.AddSingleton(sp => new AccountFanIds(KeyMaterial.TicketKey(
    sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value,
    KeyMaterial.ResolveDirectory(sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()))));
services.AddHttpClient(nameof(FanIdentityVerifier), client => client.Timeout = TimeSpan.FromSeconds(10));
services.AddSingleton(sp => new FanIdentityVerifier(
    sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(FanIdentityVerifier)),
    sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value.FanIdentity,
    sp.GetRequiredService<TimeProvider>()));
services.AddSingleton<QueueService>();
services.AddAdmissionController(); // admission (issue 12): Quartz controller, lease, inventory
services.AddSingleton(sp => new Ticketing.WaitingRoom.ProofOfWork.ChallengeCodec(KeyMaterial.TicketKey(
    sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value,
    KeyMaterial.ResolveDirectory(sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()))));
services.AddSingleton<Ticketing.WaitingRoom.ProofOfWork.ProofOfWorkGate>();
services.AddHostedService<StartupTasks>();
services.AddGateway(); // after StartupTasks: the rooms are read once the demo room is seeded

services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WaitingRoomJsonContext.Default));
services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
services.AddExceptionHandler<ProblemExceptionHandler>();
services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.AddPolicy(FanEndpoints.JoinRateLimitPolicy, http =>
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<WaitingRoomOptions>>().Value.JoinRateLimit;
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.PermitLimit,
            Window = TimeSpan.FromSeconds(limits.WindowSeconds),
            QueueLimit = 0,
        });
    });
    o.OnRejected = async (context, cancellationToken) =>
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 1;
        http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many join requests.",
                Detail = $"Try again in {retryAfter} seconds.",
                Type = Problems.TypeBase + "rate-limited",
                Extensions = { ["code"] = "rate-limited", ["retryAfterSeconds"] = retryAfter },
            },
        });
    };
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseUtf8JsonBodies();
// Static files before routing: the gateway's catch-all route would otherwise claim /queue/assets/*.
app.UseStaticFiles();
app.UseRouting();
app.MapServiceTelemetry();
app.MapWaitingRoomDocs();
app.Use(AdminEndpoints.RequireAdminKey);
app.UseRateLimiter();
app.MapFanEndpoints();
app.MapProofOfWorkEndpoints();
app.MapAdminEndpoints();
app.MapWellKnownEndpoints();
app.MapGateway();
app.Run();
