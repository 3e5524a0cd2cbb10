using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ticketing.Infrastructure.SeatLocks;

/// <summary>Checks the whole <see cref="SeatLockOptions"/> at start and reports every fault at once.</summary>
internal sealed class SeatLockOptionsValidator : IValidateOptions<SeatLockOptions>
{
    internal const int MaxKeyPrefixLength = 64;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, SeatLockOptions options)
    {
        List<string> failures = [];

        if (!Enum.IsDefined(options.Store))
        {
            failures.Add($"{SeatLockOptions.SectionName}:Store must be InProcess or Redis.");
        }

        var prefix = options.KeyPrefix;
        if (prefix is null)
        {
            failures.Add($"{SeatLockOptions.SectionName}:KeyPrefix must not be null (use an empty string for no prefix).");
        }
        else if (prefix.Length > MaxKeyPrefixLength || prefix.AsSpan().IndexOfAny("{} \t\r\n") >= 0)
        {
            failures.Add($"{SeatLockOptions.SectionName}:KeyPrefix must be at most {MaxKeyPrefixLength} characters without braces or white space.");
        }

        CheckTimeout(failures, nameof(SeatLockOptions.ConnectTimeout), options.ConnectTimeout);
        CheckTimeout(failures, nameof(SeatLockOptions.OperationTimeout), options.OperationTimeout);

        if (options.Store == SeatLockStore.Redis)
        {
            CheckRedisConnectionString(failures, options.RedisConnectionString);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTimeout(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > MaxTimeout)
        {
            failures.Add($"{SeatLockOptions.SectionName}:{name} must be greater than zero and at most {MaxTimeout}.");
        }
    }

    private static void CheckRedisConnectionString(List<string> failures, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            failures.Add($"ConnectionStrings:{SeatLockOptions.RedisConnectionStringName} is required when {SeatLockOptions.SectionName}:Store is Redis.");
            return;
        }

        try
        {
            if (ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0)
            {
                failures.Add($"ConnectionStrings:{SeatLockOptions.RedisConnectionStringName} names no Redis endpoint.");
            }
        }
        catch (ArgumentException ex)
        {
            failures.Add($"ConnectionStrings:{SeatLockOptions.RedisConnectionStringName} is not a valid Redis configuration: {ex.Message}");
        }
    }
}
