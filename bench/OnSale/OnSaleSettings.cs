using System.Globalization;

namespace Ticketing.OnSale;

/// <summary>What one run plays, read from the environment that <c>bench/onsale</c> sets.</summary>
internal sealed record OnSaleSettings
{
    /// <summary>The WaitingRoom instances (the fans' gateways); each request goes to one of them at random.</summary>
    public required string[] Gateways { get; init; }

    /// <summary>A WebApi instance, for the organizer's set-up and the sign-ins (not on the fans' path).</summary>
    public required string Api { get; init; }

    public required string AdminKey { get; init; }

    public required string DatabasePath { get; init; }

    public required string Redis { get; init; }

    public required int TossPort { get; init; }

    public required string TossSecretKey { get; init; }

    public int Fans { get; init; } = 20_000;

    public int Seats { get; init; } = 5_000;

    /// <summary>Fans admitted per second (the room's set rate).</summary>
    public double Rate { get; init; } = 50;

    /// <summary>Seconds from the room's creation to its opening (the pre-queue draw); every fan joins in this time.</summary>
    public int PreQueueSeconds { get; init; } = 60;

    /// <summary>Fans admitted but not done per available seat (the room's inventory cap).</summary>
    public double FansPerAvailableSeat { get; init; } = 1.5;

    /// <summary>Accounts the admitted fans book with (logged in once before the opening; see docs/BENCHMARKS.md).</summary>
    public int Accounts { get; init; }

    /// <summary>After the sale: how long orders may take to reach a final state before they count as stuck.</summary>
    public int SettleSeconds { get; init; } = 120;

    /// <summary>The whole sale's limit (opening to the last fan's final answer).</summary>
    public int SaleTimeoutSeconds { get; init; } = 200;

    /// <summary>Share of the fans who do not pay that leave without cancelling (their holds expire after the performance's minute).</summary>
    public double WalkAway { get; init; } = 0.1;

    public int Seed { get; init; } = Environment.TickCount;

    public static OnSaleSettings FromEnvironment()
    {
        static string Need(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
            ? v
            : throw new InvalidOperationException($"{name} is not set (bench/onsale sets it).");
        static T Or<T>(string name, T fallback) where T : IParsable<T> =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? T.Parse(v, CultureInfo.InvariantCulture) : fallback;

        var seats = Or("SEATS", 5_000);
        return new OnSaleSettings
        {
            Gateways = Need("GATEWAYS").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Api = Need("API"),
            AdminKey = Need("WR_ADMIN_KEY"),
            DatabasePath = Need("DB"),
            Redis = Need("REDIS"),
            TossPort = int.Parse(Need("TOSS_PORT"), CultureInfo.InvariantCulture),
            TossSecretKey = Need("TOSS_SECRET_KEY"),
            Fans = Or("FANS", 20_000),
            Seats = seats,
            Rate = Or("RATE", 50.0),
            PreQueueSeconds = Or("PREQUEUE_SECONDS", 60),
            FansPerAvailableSeat = Or("FANS_PER_SEAT", 1.5),
            // At most 100 seats per account (the performance's limit): 40 per account on average leaves room.
            Accounts = Or("ACCOUNTS", Math.Max(4, seats / 40)),
            SettleSeconds = Or("SETTLE_SECONDS", 120),
            SaleTimeoutSeconds = Or("SALE_TIMEOUT_SECONDS", 200),
            WalkAway = Or("WALK_AWAY", 0.1),
            Seed = Or("SEED", Environment.TickCount),
        };
    }
}
