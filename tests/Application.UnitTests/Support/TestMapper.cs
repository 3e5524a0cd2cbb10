using MapsterMapper;
using Ticketing.Application.Common;

namespace Ticketing.Application.UnitTests.Support;

/// <summary>
/// The application's mapping rules (<see cref="Mapping.CreateConfig"/>), compiled once for the whole test run and
/// shared by every handler under test, as the app registers one <see cref="IMapper"/> singleton.
/// </summary>
public static class TestMapper
{
    public static IMapper Instance { get; } = new Mapper(Mapping.CreateConfig());
}
