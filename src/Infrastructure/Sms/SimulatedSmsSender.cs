using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Sms;

/// <summary>
/// Development's SMS "provider": sends nothing, logs each message, and keeps the last message per phone so that a
/// developer (or a test, or the demo page) can read the code. Never configured in production (see <see cref="SmsOptions"/>).
/// </summary>
public sealed partial class SimulatedSmsSender(TimeProvider clock, ILogger<SimulatedSmsSender> logger) : ISmsSender
{
    private const int MaxPhones = 10_000;

    private readonly ConcurrentDictionary<string, SentSms> _outbox = new(StringComparer.Ordinal);

    public bool IsAvailable => true;

    public Task SendAsync(string phoneE164, string message, CancellationToken cancellationToken)
    {
        if (_outbox.Count >= MaxPhones)
        {
            _outbox.Clear();
        }

        _outbox[phoneE164] = new SentSms(phoneE164, message, clock.GetUtcNow());
        LogSent(logger, phoneE164, message);
        return Task.CompletedTask;
    }

    /// <summary>The last message sent to a phone (E.164), if any.</summary>
    public SentSms? LastTo(string phoneE164) => _outbox.TryGetValue(phoneE164, out var sms) ? sms : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated SMS to {Phone}: {Message}")]
    private static partial void LogSent(ILogger logger, string phone, string message);
}

/// <summary>A message the simulated sender "sent".</summary>
public sealed record SentSms(string Phone, string Message, DateTimeOffset SentAt);

/// <summary>No SMS provider: phone verification is off (503 <c>sms.unavailable</c>).</summary>
public sealed class NoSmsSender : ISmsSender
{
    public bool IsAvailable => false;

    public Task SendAsync(string phoneE164, string message, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No SMS provider is configured.");
}
