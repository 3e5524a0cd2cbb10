using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Endpoints;

/// <summary>admission (issue 12): the room settings of inventory-aware admission in the admin API (validation and mapping).</summary>
internal static class AdmissionSettings
{
    public const double MaxFansPerAvailableSeat = 1000;
    public const int MaxP99LimitMs = 600_000;

    public static void Validate(RoomRequest request, Dictionary<string, string[]> errors)
    {
        if (request.FansPerAvailableSeat is { } fans && (!double.IsFinite(fans) || fans < 0 || fans > MaxFansPerAvailableSeat))
        {
            errors["fansPerAvailableSeat"] = [$"fansPerAvailableSeat must be between 0 (off) and {MaxFansPerAvailableSeat}."];
        }

        if (request.MaxWebApiP99Ms is < 0 or > MaxP99LimitMs)
        {
            errors["maxWebApiP99Ms"] = [$"maxWebApiP99Ms must be between 0 (no limit) and {MaxP99LimitMs}."];
        }

        if (request.MaxWebApiErrorRate is { } rate && (!double.IsFinite(rate) || rate < 0 || rate > 1))
        {
            errors["maxWebApiErrorRate"] = ["maxWebApiErrorRate must be between 0 (no limit) and 1."];
        }
    }

    /// <summary>PUT: every setting given or off.</summary>
    public static RoomDefinition Apply(RoomRequest request, RoomDefinition definition) => definition with
    {
        FansPerAvailableSeat = request.FansPerAvailableSeat ?? 0,
        MaxWebApiP99Ms = request.MaxWebApiP99Ms ?? 0,
        MaxWebApiErrorRate = request.MaxWebApiErrorRate ?? 0,
    };

    /// <summary>PATCH: only the settings given change.</summary>
    public static RoomUpdate Apply(RoomRequest request, RoomUpdate update) => update with
    {
        FansPerAvailableSeat = request.FansPerAvailableSeat,
        MaxWebApiP99Ms = request.MaxWebApiP99Ms,
        MaxWebApiErrorRate = request.MaxWebApiErrorRate,
    };
}
