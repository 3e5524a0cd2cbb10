namespace Ticketing.Application.Abstractions;

/// <summary>Sends a text message to a phone (guest booking's verification codes).</summary>
public interface ISmsSender
{
    /// <summary>False when no sender is configured: phone verification answers 503 then.</summary>
    bool IsAvailable { get; }

    /// <param name="phoneE164">The recipient, E.164.</param>
    Task SendAsync(string phoneE164, string message, CancellationToken cancellationToken);
}
