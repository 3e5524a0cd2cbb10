namespace Ticketing.WebApi.Infrastructure;

/// <summary>When registration asks for proof of work.</summary>
public enum RegistrationProofOfWorkMode
{
    /// <summary>While any waiting room takes fans, at the highest difficulty among them (asked of the WaitingRoom).</summary>
    FollowWaitingRoom,

    /// <summary>Always, at <see cref="RegistrationProofOfWorkOptions.Difficulty"/>.</summary>
    Always,

    /// <summary>Never (an API without a waiting room in front, or tests).</summary>
    Off,
}

/// <summary>Settings under <c>RegistrationProofOfWork</c>.</summary>
public sealed class RegistrationProofOfWorkOptions
{
    public const string Section = "RegistrationProofOfWork";

    public RegistrationProofOfWorkMode Mode { get; set; } = RegistrationProofOfWorkMode.FollowWaitingRoom;

    /// <summary>The WaitingRoom's <c>GET /api/rooms/proof-of-work</c>: rooms taking fans and the most work any asks.</summary>
    public Uri PolicyUrl { get; set; } = new("http://localhost:5080/api/rooms/proof-of-work");

    /// <summary>
    /// Leading zero bits asked in <see cref="RegistrationProofOfWorkMode.Always"/>, and in FollowWaitingRoom whenever the
    /// WaitingRoom cannot be asked (fail safe: a fan loses about a second, a bot farm does not register for free).
    /// </summary>
    public int Difficulty { get; set; } = 19;

    /// <summary>How long one answer of the WaitingRoom (or its failure) is used before asking again.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for the WaitingRoom before falling back to <see cref="Difficulty"/>.</summary>
    public TimeSpan PolicyTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a registration challenge may take to solve and send.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
