using Mesh.Proxy.Admin;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Per-cluster admission: past max concurrent (and max pending) the request fails fast with 503 and
/// <c>x-mesh-circuit</c> saying which limit, instead of piling onto an upstream that is already saturated.
/// </summary>
internal sealed class CircuitBreakerStage : IProxyStage
{
    public const string ReasonHeader = "x-mesh-circuit";
    private readonly ProxyCounters _counters;

    public CircuitBreakerStage(ProxyCounters counters) => _counters = counters;

    public async ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        var breaker = context.Destination!.Cluster.Breaker;
        var refused = await breaker.EnterAsync(context.Http.RequestAborted).ConfigureAwait(false);
        if (refused is not null)
        {
            _counters.CircuitOpen.Increment();
            context.Http.Response.Headers[ReasonHeader] = refused;
            await LocalReply.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "circuit-open", ResponseFlags.Overflow,
                $"mesh: cluster '{context.Destination.Cluster.Name}' is at its limit ({refused})").ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            breaker.Exit();
        }
    }
}
