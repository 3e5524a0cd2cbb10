namespace Ticketing.Domain.Catalog;

/// <summary>A price class of a performance (VIP, R, S, A…). Prices are whole won.</summary>
public sealed class PriceGrade
{
    public const int MaxCodeLength = 16;
    public const int MaxNameLength = 50;
    public const long MaxPrice = 100_000_000;

    internal PriceGrade(string code, string name, long price, string? color)
    {
        Code = code;
        Name = name;
        Price = price;
        Color = color;
    }

    public long Id { get; private set; }

    public long PerformanceId { get; private set; }

    public string Code { get; private set; }

    public string Name { get; private set; }

    public long Price { get; private set; }

    /// <summary>A CSS colour for drawing the grade on the seat map, e.g. <c>#d4af37</c>.</summary>
    public string? Color { get; private set; }
}
