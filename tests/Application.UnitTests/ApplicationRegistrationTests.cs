using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Common;
using Ticketing.Application.Events;

namespace Ticketing.Application.UnitTests;

public sealed class ApplicationRegistrationTests
{
    [Fact]
    public void Every_validator_of_the_assembly_is_registered_once_as_a_singleton()
    {
        var services = new ServiceCollection().AddApplication();
        var validatorTypes = typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IValidator).IsAssignableFrom(t))
            .ToArray();

        Assert.NotEmpty(validatorTypes);
        foreach (var type in validatorTypes)
        {
            var contract = type.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>));
            var registration = Assert.Single(services, d => d.ServiceType == contract);
            Assert.Equal(type, registration.ImplementationType);
            Assert.Equal(ServiceLifetime.Singleton, registration.Lifetime);
        }
    }

    [Fact]
    public void The_validation_behavior_receives_the_request_validator()
    {
        using var provider = new ServiceCollection().AddLogging().AddApplication().BuildServiceProvider();
        using var scope = provider.CreateScope();

        var behaviors = scope.ServiceProvider.GetServices<IPipelineBehavior<AddPerformance, Result<PerformanceDto>>>().ToArray();
        var validators = scope.ServiceProvider.GetServices<IValidator<AddPerformance>>().ToArray();

        Assert.Equal(2, behaviors.Length);
        Assert.IsType<AddPerformanceValidator>(Assert.Single(validators));
    }
}
