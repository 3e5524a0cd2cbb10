using Mapster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Events;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Catalog;

/// <summary>
/// The fixed part of a performance's seat map, column by column, loaded once and kept in memory: seat maps do not
/// change after a performance is created, so the seat map and the hold path read seats and prices from here.
/// </summary>
public sealed class SeatLayout
{
    internal SeatLayout(long performanceId, long eventId, bool published, IReadOnlyList<GradeDto> grades, IReadOnlyList<string> sections, SeatColumns seats)
    {
        PerformanceId = performanceId;
        EventId = eventId;
        IsPublished = published;
        Grades = grades;
        Sections = sections;
        Seats = seats;
        var index = new Dictionary<long, int>(seats.Ids.Length);
        for (var i = 0; i < seats.Ids.Length; i++)
        {
            index[seats.Ids[i]] = i;
        }

        IndexById = index.ToFrozenDictionary();
    }

    public long PerformanceId { get; }

    public long EventId { get; }

    public bool IsPublished { get; }

    /// <summary>Grades in the order seats refer to them by index.</summary>
    public IReadOnlyList<GradeDto> Grades { get; }

    public IReadOnlyList<string> Sections { get; }

    public SeatColumns Seats { get; }

    /// <summary>Seat id → position in the columns.</summary>
    public FrozenDictionary<long, int> IndexById { get; }

    public int Count => Seats.Ids.Length;
}

/// <summary>Seats stored as parallel arrays: compact in memory and quick to write out.</summary>
public sealed record SeatColumns(long[] Ids, string[] Labels, int[] SectionIndexes, string[] Rows, string[] Numbers, double[] Xs, double[] Ys, int[] GradeIndexes);

/// <summary>The meter of the seat map's instruments: layout loads here, readings and renderings in the WebApi.</summary>
public static class SeatMapMeter
{
    public const string Name = "Ticketing.SeatMaps";
}

/// <summary>Loads and caches <see cref="SeatLayout"/>s.</summary>
public interface ISeatLayoutCache
{
    /// <summary>The layout, or null when the performance does not exist.</summary>
    Task<SeatLayout?> GetAsync(long performanceId, CancellationToken cancellationToken);

    /// <summary>Forgets a cached layout.</summary>
    void Invalidate(long performanceId);
}

/// <remarks>
/// Only layouts of published events are cached, so publishing needs no cross-instance invalidation. Loads are
/// serialized so that a crowd arriving on a cold cache loads each layout once, not once per request. A draft's
/// seats are never read: its layout is the head alone (no seats, <see cref="SeatLayout.IsPublished"/> false), one
/// indexed lookup, so anonymous requests for a draft's map cost no more than for an unknown id.
/// Each read of a hall's seats counts on <c>ticketing.seatmap.layout_loads</c>.
/// </remarks>
internal sealed class SeatLayoutCache(IMemoryCache cache, IServiceScopeFactory scopes, TypeAdapterConfig mapping, IMeterFactory? meters = null) : ISeatLayoutCache
{
    private static readonly TimeSpan SlidingExpiration = TimeSpan.FromMinutes(30);
    private static readonly SemaphoreSlim LoadGate = new(1, 1);
    private readonly Counter<long>? _loads = meters?.Create(SeatMapMeter.Name).CreateCounter<long>(
        "ticketing.seatmap.layout_loads",
        description: "Reads of a performance's seats from the database (published performances only; a draft's seats are never read).");

    public async Task<SeatLayout?> GetAsync(long performanceId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(performanceId), out SeatLayout? layout))
        {
            return layout;
        }

        await LoadGate.WaitAsync(cancellationToken);
        try
        {
            if (cache.TryGetValue(Key(performanceId), out layout))
            {
                return layout;
            }

            // A singleton reads through a scope of its own: a hit (nearly every request) builds no DbContext.
            await using var scope = scopes.CreateAsyncScope();
            layout = await LoadAsync(scope.ServiceProvider.GetRequiredService<IAppDbContext>(), performanceId, cancellationToken);
            if (layout is { IsPublished: true })
            {
                cache.Set(Key(performanceId), layout, new MemoryCacheEntryOptions { SlidingExpiration = SlidingExpiration });
            }

            return layout;
        }
        finally
        {
            LoadGate.Release();
        }
    }

    public void Invalidate(long performanceId) => cache.Remove(Key(performanceId));

    private static (string, long) Key(long performanceId) => ("seat-layout", performanceId);

    private async Task<SeatLayout?> LoadAsync(IAppDbContext db, long performanceId, CancellationToken cancellationToken)
    {
        var head = await db.Performances.AsNoTracking()
            .Where(p => p.Id == performanceId)
            .Select(p => new { p.Id, p.EventId, Published = db.Events.Any(e => e.Id == p.EventId && e.Status == EventStatus.Published) })
            .SingleOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return null;
        }

        if (!head.Published)
        {
            // A draft: nobody may see or hold its seats, so they are not read (a 100,000-seat draft would otherwise be
            // read for every anonymous request, since drafts are not cached).
            return new SeatLayout(head.Id, head.EventId, published: false, [], [], new SeatColumns([], [], [], [], [], [], [], []));
        }

        _loads?.Add(1);
        var grades = await db.PriceGrades.AsNoTracking()
            .Where(g => g.PerformanceId == performanceId)
            .OrderByDescending(g => g.Price).ThenBy(g => g.Code)
            .ProjectToType<GradeDto>(mapping)
            .ToListAsync(cancellationToken);
        var gradeIndex = grades.Select((g, i) => (g.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

        var rows = await db.Seats.AsNoTracking()
            .Where(s => s.PerformanceId == performanceId)
            .OrderBy(s => s.Id)
            .Select(s => new { s.Id, s.Label, s.Section, s.Row, s.Number, s.X, s.Y, s.GradeCode })
            .ToListAsync(cancellationToken);

        var sections = new List<string>();
        var sectionIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var columns = new SeatColumns(
            new long[rows.Count], new string[rows.Count], new int[rows.Count], new string[rows.Count],
            new string[rows.Count], new double[rows.Count], new double[rows.Count], new int[rows.Count]);
        for (var i = 0; i < rows.Count; i++)
        {
            var s = rows[i];
            if (!sectionIndex.TryGetValue(s.Section, out var si))
            {
                si = sections.Count;
                sections.Add(s.Section);
                sectionIndex[s.Section] = si;
            }

            columns.Ids[i] = s.Id;
            columns.Labels[i] = s.Label;
            columns.SectionIndexes[i] = si;
            columns.Rows[i] = s.Row;
            columns.Numbers[i] = s.Number;
            columns.Xs[i] = s.X;
            columns.Ys[i] = s.Y;
            columns.GradeIndexes[i] = gradeIndex[s.GradeCode];
        }

        return new SeatLayout(head.Id, head.EventId, head.Published, grades, sections, columns);
    }
}
