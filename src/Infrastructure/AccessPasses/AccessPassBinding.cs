namespace Ticketing.Infrastructure.AccessPasses;

/// <summary>The first account that used a pass (by its unique <c>jti</c>); kept until the pass expires.</summary>
internal sealed class AccessPassBinding
{
    public const int MaxJtiLength = 64;

    public required string Jti { get; init; }

    public required Guid AccountId { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}
