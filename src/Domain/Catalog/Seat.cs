namespace Ticketing.Domain.Catalog;

/// <summary>One seat of a performance: where it is (for drawing) and its price grade.</summary>
public sealed class Seat
{
    public const int MaxSectionLength = 50;
    public const int MaxRowLength = 20;
    public const int MaxNumberLength = 20;
    public const int MaxLabelLength = 100;

    private Seat(string section, string row, string number, string label, double x, double y, string gradeCode)
    {
        Section = section;
        Row = row;
        Number = number;
        Label = label;
        X = x;
        Y = y;
        GradeCode = gradeCode;
    }

    public long Id { get; private set; }

    public long PerformanceId { get; private set; }

    public string Section { get; private set; }

    public string Row { get; private set; }

    public string Number { get; private set; }

    /// <summary>Unique within the performance, e.g. <c>Floor A-12</c>.</summary>
    public string Label { get; private set; }

    public double X { get; private set; }

    public double Y { get; private set; }

    public string GradeCode { get; private set; }
}
