using BenchmarkDotNet.Attributes;
using MapsterMapper;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Domain.Orders;

namespace Ticketing.Benchmarks;

/// <summary>
/// The hold's answer: a freshly placed order mapped to its <see cref="OrderDto"/>, by hand and through the
/// compiled Mapster configuration (with the time as a mapping parameter, as the handlers do).
/// </summary>
[MemoryDiagnoser]
public class OrderMappingBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly Mapper _mapper = new(Mapping.CreateConfig());
    private Order _order = null!;

    [Params(2, 4)]
    public int Seats { get; set; }

    [GlobalSetup]
    public void Setup() => _order = Order.Place(
        Guid.NewGuid(), 7, Enumerable.Range(0, Seats).Select(i => new OrderLineDraft(1000 - i, $"A-{1000 - i}", "R", 100_000)).ToList(), Now, TimeSpan.FromMinutes(5));

    [Benchmark(Baseline = true)]
    public OrderDto ByHand() => _order.ToHeldOrderDto(Now);

    [Benchmark]
    public OrderDto Mapster() => _mapper.ToOrderDto(_order, Now);
}
