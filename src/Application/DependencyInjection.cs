using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Reflection;
using Ticketing.Application.Catalog;
using Ticketing.Application.Common;

namespace Ticketing.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers MediatR 5.1 by hand (its DI package is absent from our feed): the mediator and every handler of
    /// this assembly; FluentValidation's own scan registers the validators; then the validation and logging behaviors.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();

        var assembly = typeof(DependencyInjection).Assembly;
        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IRequestHandler<,>))
                {
                    services.AddTransient(contract, type);
                }
            }
        }

        // Validators hold no state, so one instance each serves every request (as the hand-written scan did).
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton);

        // One mapping configuration, compiled here at start-up; handlers map through IMapper over it, never through
        // Mapster's global settings, so tests and hosts each get exactly these rules.
        var mapping = Mapping.CreateConfig();
        services.AddSingleton(mapping);
        services.AddSingleton<IMapper>(new Mapper(mapping));

        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ISeatLayoutCache, SeatLayoutCache>();
        services.AddSingleton<Orders.ISellingRulesCache, Orders.SellingRulesCache>();
        services.AddScoped<Payments.PaymentCompletion>();
        services.AddScoped<Payments.RefundSettlement>();
        services.AddScoped<Transfers.TransferCompletion>(); // transfer (issue 13.4)
        services.AddOptions<Payments.PaymentPolicy>();

        // ---- waitlist (issue 13.1): the hook where seats come back; a host may replace the notifier ----
        services.AddScoped<Abstractions.IReturnedSeats, Waitlist.ReturnedSeatsOffering>();
        services.AddSingleton<Waitlist.WaitlistNotifications>();
        services.TryAddSingleton<Abstractions.IWaitlistNotifier>(provider => provider.GetRequiredService<Waitlist.WaitlistNotifications>());
        // ---- end waitlist ----

        // Order matters: logging wraps validation, so rejected requests are logged too.
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        return services;
    }

    internal static Assembly Assembly => typeof(DependencyInjection).Assembly;
}
