using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Infrastructure.Scheduling;

namespace Ticketing.Infrastructure.IntegrationTests.Scheduling;

public sealed class SchedulingOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new SchedulingOptionsValidator().Validate(null, new SchedulingOptions()).Succeeded);
    }

    [Fact]
    public void Durations_out_of_their_bounds_are_each_named()
    {
        var result = new SchedulingOptionsValidator().Validate(null, new SchedulingOptions
        {
            IdempotencyRetention = TimeSpan.FromMinutes(59),
            PassBindingGrace = TimeSpan.FromDays(31),
            SoldKeysAfterStart = TimeSpan.FromHours(-1),
            SoldKeysLookback = TimeSpan.FromDays(366),
        });

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("Jobs:IdempotencyRetention must be between 01:00:00 and 365.00:00:00", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Jobs:PassBindingGrace", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Jobs:SoldKeysAfterStart", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Jobs:SoldKeysLookback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Many_hosts_validating_at_once_all_get_the_same_answer()
    {
        // What several hosts in one process do at start: each validates its own options, all at the same moment.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:PassBindingGrace"] = "00:01:00",
        }).Build();
        using var start = new ManualResetEventSlim();
        var hosts = Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            var services = new ServiceCollection();
            services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.SectionName)).ValidateDataAnnotations();
            services.AddSingleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>();
            using var provider = services.BuildServiceProvider();
            start.Wait();
            return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SchedulingOptions>>().Value);
        })).ToArray();

        start.Set();
        foreach (var error in await Task.WhenAll(hosts))
        {
            Assert.StartsWith("Jobs:PassBindingGrace must be between 00:05:00 and 30.00:00:00", Assert.Single(error.Failures), StringComparison.Ordinal);
        }
    }
}
