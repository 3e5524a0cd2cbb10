using Microsoft.Extensions.FileProviders;
using Ticketing.Application.Abstractions;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.Endpoints;

/// <summary>
/// The fans' booking pages under <c>/book/</c>: one HTML shell for every page (the script shows the page of the
/// path), its scripts and styles under <c>/book/assets/</c>, and, with the simulated provider, the stand-in for
/// Toss's payment window. Plain files, no build step; they call only relative <c>/api/...</c> URLs, so they work
/// through the waiting room's gateway and straight on this API.
/// </summary>
internal static class BookingPageEndpoints
{
    public const string Folder = "BookingPages";

    /// <summary>The pages the shell answers; anything else under /book is the API's 404.</summary>
    private static readonly string[] Pages =
    [
        "/book", "/book/login", "/book/performances/{performanceId:long}", "/book/pay/success", "/book/pay/fail",
        "/book/orders", "/book/orders/{orderId}",
        "/book/waitlist", // waitlist (issue 13.1)
        "/book/guest", "/book/lookup", // guest booking (issue 13.3)

        // Transfer (issue 13.4)
        "/book/transfers", "/book/transfers/{transferId}",
    ];

    public static WebApplication MapBookingPages(this WebApplication app)
    {
        var root = Path.Combine(app.Environment.ContentRootPath, Folder);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(root, "assets")),
            RequestPath = "/book/assets",
            // Plain files without a build step carry no content hash: browsers revalidate them (ETag) every time.
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });

        foreach (var page in Pages)
        {
            app.MapGet(page, (HttpContext context) => Page(context, Path.Combine(root, "index.html")))
                .ExcludeFromDescription().AllowAnonymous();
        }

        // Toss's payment window, played by the simulated provider; with the real provider there is no such page.
        app.MapGet("/payments/simulated/window", (HttpContext context) =>
                context.RequestServices.GetService<ISimulatedCheckout>() is null
                    ? Ticketing.Application.Common.Error.NotFound("payments.simulator_off", "The simulated payment provider is not enabled.").ToProblem(context)
                    : Page(context, Path.Combine(root, "simulated-window.html")))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static IResult Page(HttpContext context, string file)
    {
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "same-origin";
        return Results.File(file, "text/html; charset=utf-8");
    }
}
