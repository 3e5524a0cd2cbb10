using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Payments;

namespace Ticketing.Infrastructure.Payments;

internal static class PaymentServiceCollectionExtensions
{
    /// <summary>
    /// The payment provider: the Toss HTTP client (typed <see cref="HttpClient"/> with a resilience handler) pointed at
    /// <c>Payments:Toss:BaseUrl</c> when <c>Payments:Provider</c> is <c>Toss</c>; by default the same client with an
    /// in-process transport to <see cref="TossSimulator"/>, which also stands in for the payment widget.
    /// </summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(PaymentOptions.SectionName);
        services.AddOptions<PaymentOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PaymentOptions>, PaymentOptionsValidator>();
        services.AddOptions<PaymentPolicy>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        var options = section.Get<PaymentOptions>() ?? new PaymentOptions();
        var simulated = options.Provider == PaymentProvider.Simulated;
        var client = services.AddHttpClient<IPaymentGateway, TossPaymentGateway>(http =>
        {
            http.BaseAddress = new Uri(simulated ? "https://simulated.tosspayments.invalid/" : options.Toss.BaseUrl.TrimEnd('/') + "/");
            http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler's total and per-attempt timeouts govern
        });
        client.AddResilienceHandler(TossResilience.PipelineName, (pipeline, context) => TossResilience.Configure(
            pipeline,
            context.ServiceProvider.GetRequiredService<IOptions<PaymentOptions>>().Value.Toss,
            context.ServiceProvider.GetRequiredService<TimeProvider>(),
            context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TossResilience))));
        if (simulated)
        {
            services.AddSingleton(sp => new TossSimulator(sp.GetRequiredService<TimeProvider>(), PaymentOptions.SimulatedSecretKey));
            services.AddSingleton<ISimulatedCheckout>(sp => sp.GetRequiredService<TossSimulator>());
            client.ConfigurePrimaryHttpMessageHandler(sp => new SimulatedTossHandler(sp.GetRequiredService<TossSimulator>()));
        }

        return services;
    }
}
