using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Domain.Catalog;

namespace Ticketing.WebApi.SeatMaps;

/// <summary>
/// Reads halls into the layout cache before fans ask for them, so that the first fan to open a 40,000-seat map does
/// not wait for its seats to be read from the database: at start-up, the published performances whose sales have not
/// closed (up to <see cref="MaxAtStart"/>, soonest first); afterwards, each performance of an event when it is
/// published. One at a time, in the background; the layout's compressed rendering is made at the same time.
/// </summary>
internal sealed partial class SeatLayoutWarmer(IServiceScopeFactory scopes, ISeatLayoutCache layouts, TimeProvider clock, ILogger<SeatLayoutWarmer> logger) : BackgroundService
{
    public const int MaxAtStart = 100;

    private readonly Channel<long> _performances = Channel.CreateBounded<long>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Asks for these performances' layouts to be read soon (a full queue drops the request: a fan's request reads it instead).</summary>
    public void Enqueue(IEnumerable<long> performanceIds)
    {
        foreach (var id in performanceIds)
        {
            _performances.Writer.TryWrite(id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WarmOnSaleAsync(stoppingToken);
            await foreach (var id in _performances.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var layout = await layouts.GetAsync(id, stoppingToken);
                    if (layout is { IsPublished: true })
                    {
                        SeatLayoutWriter.Get(layout);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Warming is an optimisation: a failure leaves the read to the first fan's request, as without it.
                    LogWarmingFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task WarmOnSaleAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
            var now = clock.GetUtcNow();
            var onSale = await db.Performances.AsNoTracking()
                .Where(p => p.SalesCloseAt > now && db.Events.Any(e => e.Id == p.EventId && e.Status == EventStatus.Published))
                .OrderBy(p => p.SalesOpenAt)
                .Select(p => p.Id)
                .Take(MaxAtStart)
                .ToListAsync(stoppingToken);
            Enqueue(onSale);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWarmingFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading seat layouts ahead of fans failed; they are read on first request instead")]
    private static partial void LogWarmingFailed(ILogger logger, Exception exception);
}
