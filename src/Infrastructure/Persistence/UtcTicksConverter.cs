using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>Stores an instant as its UTC ticks: ordered, comparable and exact on SQLite. Reads back as UTC.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
