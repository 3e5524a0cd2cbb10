using System.Diagnostics;

namespace Ticketing.WaitingRoom.Gateway;

/// <summary>
/// The trace headers the gateway sends the WebApi, only when a trace is being recorded. ASP.NET Core starts an
/// <see cref="Activity"/> for every request even without tracing (for log scopes); the proxy's HTTP client would
/// then write a <c>traceparent</c> for it on every proxied call, and the WebApi would parse it and start a child,
/// on the hot path, for a trace nobody collects. Without a listener on the activity's source nothing is injected;
/// YARP's own propagator (wrapped here) still removes the trace headers the client sent, so a fan never chooses
/// the WebApi's trace id. With tracing on (an OTLP endpoint), the client's span has listeners and is propagated.
/// </summary>
internal sealed class TraceOnlyPropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        inner.Inject(activity is not null && activity.Source.HasListeners() ? activity : null, carrier, setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);
}
