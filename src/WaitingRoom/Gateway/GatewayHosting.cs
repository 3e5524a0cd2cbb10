using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Ticketing.WaitingRoom.Gateway;

/// <summary>Registers and maps the gateway: YARP to the WebApi instances, with the pass check in its pipeline.</summary>
internal static class GatewayHosting
{
    public static IServiceCollection AddGateway(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<PacedPerformances>();
        services.AddSingleton<GatewayPassVerifier>();
        services.AddHostedService<PacedPerformancesRefresher>();
        services.AddSingleton<IProxyConfigProvider, GatewayProxyConfigProvider>();
        services.AddSingleton<LocalPaths>();
        services.AddReverseProxy()
            .ConfigureHttpClient(static (_, handler) =>
            {
                // YARP's defaults stand (no proxy, no cookies, no decompression, an unlimited pool of HTTP/1.1
                // connections to the WebApi); only trace headers are left out when no trace is recorded.
                if (handler.ActivityHeadersPropagator is { } propagator)
                {
                    handler.ActivityHeadersPropagator = new TraceOnlyPropagator(propagator);
                }
            })
            .AddTransforms(static context => context.AddResponseTransform(static transform =>
        {
            // Server-sent events (the live seat map) must reach the fan as the WebApi writes them.
            if (transform.ProxyResponse?.Content.Headers.ContentType?.MediaType is "text/event-stream")
            {
                transform.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            }

            return ValueTask.CompletedTask;
        }));
        return services;
    }

    /// <summary>The catch-all proxy route (lowest precedence: every local endpoint wins).</summary>
    public static void MapGateway(this IEndpointRouteBuilder app) =>
        app.MapReverseProxy(static proxy =>
        {
            proxy.Use(LocalPaths.InvokeAsync);
            proxy.Use(GatewayPassCheck.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
}
