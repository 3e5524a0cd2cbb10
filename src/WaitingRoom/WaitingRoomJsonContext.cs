using System.Text.Json;
using System.Text.Json.Serialization;
using Ticketing.WaitingRoom.Endpoints;
using Ticketing.WaitingRoom.Queue;

namespace Ticketing.WaitingRoom;

/// <summary>Source-generated JSON for every body the service reads or writes (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FanStatusDto))]
[JsonSerializable(typeof(RoomRequest))]
[JsonSerializable(typeof(RoomResponse))]
[JsonSerializable(typeof(List<RoomResponse>))]
[JsonSerializable(typeof(RoomStats))]
[JsonSerializable(typeof(KeyRotationResponse))]
[JsonSerializable(typeof(JwkSet))]
[JsonSerializable(typeof(Ticketing.WaitingRoom.ProofOfWork.ChallengeResponse))]
[JsonSerializable(typeof(ProofOfWorkPolicy))]
[JsonSerializable(typeof(Ticketing.Telemetry.HealthBody))]
[JsonSerializable(typeof(Ticketing.WaitingRoom.Admission.InventoryReportDto))] // admission (issue 12)
internal sealed partial class WaitingRoomJsonContext : JsonSerializerContext;
