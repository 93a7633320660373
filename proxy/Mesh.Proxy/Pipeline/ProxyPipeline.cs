using Mesh.Proxy.Admin;
using Mesh.Proxy.Telemetry;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// The request stack, outermost first. Order matters and each position has a reason (see the comments);
/// built once, shared by every request and snapshot (stages hold no per-config state).
/// </summary>
internal sealed class ProxyPipeline
{
    private readonly StageDelegate _entry;

    public ProxyPipeline(ITelemetrySink sink, ProxyCounters counters, ProxyEnvironment env)
    {
        IProxyStage[] stages =
        [
            // Outermost, so every request (even ones answered locally below) yields one span, access log and RED sample.
            new TelemetryStage(sink, counters, env),

            // Who may call at all comes before any route work: a refused caller learns nothing about routes or upstreams.
            new AuthorizationStage(counters),

            // Everything below is per-route policy, so a route must be chosen first (404 NR when none).
            new RoutingStage(counters),

            // Shed excess load before spending anything on it: no fault timers, no body reads, no upstream slots.
            new RateLimitStage(counters),

            // Faults act like a misbehaving upstream: after admission decisions that callers control, before the real call.
            new FaultStage(counters, env),

            // Decide replayability once: retries and the mirror both depend on it.
            new BodyStage(),

            // Shadow before forwarding so the copy does not wait for (or depend on) the real response.
            new MirrorStage(counters, env),

            // Pick the split arm before admission: the breaker that applies is the chosen cluster's.
            new SplitStage(env),

            // Fail fast when the cluster is saturated, rather than queue without bound.
            new CircuitBreakerStage(counters),

            // Terminal: balancer pick per try, timeouts, retries under budget, passive health, streaming relay.
            new ForwardStage(counters, env),
        ];

        StageDelegate next = _ => ValueTask.CompletedTask;
        for (var i = stages.Length - 1; i >= 0; i--)
        {
            var stage = stages[i];
            var inner = next;
            next = context => stage.InvokeAsync(context, inner);
        }

        _entry = next;
    }

    public ValueTask InvokeAsync(ProxyContext context) => _entry(context);
}
