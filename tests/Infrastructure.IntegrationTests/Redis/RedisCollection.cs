namespace Ticketing.Infrastructure.IntegrationTests.Redis;

/// <summary>
/// Tests that share the one <see cref="RedisServerFixture"/> server. They run one after another, so a
/// test may stop and restart the server (outage tests) without disturbing the others.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Redis server";
}
