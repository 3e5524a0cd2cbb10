using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Admin;
using Ticketing.Application.Common;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>The admin dashboard's API: sales at a glance, and the background jobs with a "run now" button.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin")
            .RequireAuthorization(Roles.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/overview", GetOverview);
        group.MapGet("/jobs", ListJobs);
        group.MapPost("/jobs/{group}/{name}/run", RunJobNow).ProducesProblem(StatusCodes.Status404NotFound);

        // The browser session of the admin pages (the cookie the jobs dashboard at /hangfire accepts).
        group.MapPost("/session", (Delegate)(Func<HttpContext, Task<NoContent>>)AdminSession.StartAsync);
        app.MapDelete("/api/admin/session", (Delegate)(Func<HttpContext, Task<NoContent>>)AdminSession.EndAsync).WithTags("Admin").AllowAnonymous();

        // The dashboard page itself is public; everything it shows comes from the admin API above.
        app.MapGet("/admin", (IWebHostEnvironment environment) =>
            Results.File(Path.Combine(environment.ContentRootPath, "Dashboard", "admin.html"), "text/html; charset=utf-8"))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>Every performance's held and sold seats now, and orders by status.</summary>
    public static async Task<Results<Ok<SalesOverview>, ProblemHttpResult>> GetOverview(IMediator mediator, HttpContext context, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetSalesOverview(), cancellationToken)).ToOk(context);

    /// <summary>The recurring jobs (Hangfire), their schedule and state, and this instance's recent runs.</summary>
    public static async Task<Ok<IReadOnlyList<JobView>>> ListJobs(IJobAdmin jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.ListAsync(cancellationToken));

    /// <summary>Runs a job once, now (e.g. to retry after fixing what made it fail).</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> RunJobNow(string group, string name, IJobAdmin jobs, HttpContext context, CancellationToken cancellationToken) =>
        await jobs.RunNowAsync(group, name, cancellationToken)
            ? TypedResults.Accepted((string?)null)
            : Error.NotFound("job.not_found", $"No job {group}.{name} runs on this instance.").ToProblem(context);
}
