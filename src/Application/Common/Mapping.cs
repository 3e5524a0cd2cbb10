using Mapster;

namespace Ticketing.Application.Common;

/// <summary>
/// The one <see cref="TypeAdapterConfig"/> of the application: every feature's <see cref="IRegister"/> rules
/// (<c>Orders/OrderMappings.cs</c>, ...) scanned from this assembly and compiled once, so a broken rule fails at
/// start-up (and in the test that builds it), never on a fan's request.
/// </summary>
public static class Mapping
{
    public static TypeAdapterConfig CreateConfig()
    {
        var config = new TypeAdapterConfig
        {
            // A DTO member that no rule fills is a mistake, not a default value.
            RequireDestinationMemberSource = true,
        };
        config.Scan(typeof(Mapping).Assembly);
        config.Compile();
        return config;
    }
}
