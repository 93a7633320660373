using Mesh.Proxy.Admin;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Pipeline;

/// <summary>First-match routing over the listener's routes; no match is a clear local 404 (NR), never a guess.</summary>
internal sealed class RoutingStage : IProxyStage
{
    private readonly ProxyCounters _counters;

    public RoutingStage(ProxyCounters counters) => _counters = counters;

    public ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        if (context.Snapshot.RoutesByListener.TryGetValue(context.Listener.Name, out var routes))
        {
            foreach (var route in routes)
            {
                if (route.Matcher.Matches(context.Http.Request))
                {
                    context.Route = route;
                    return next(context);
                }
            }
        }

        _counters.NoRoute.Increment();
        var request = context.Http.Request;
        return new ValueTask(LocalReply.WriteAsync(context, StatusCodes.Status404NotFound, "no-route", ResponseFlags.NoRoute,
            $"mesh: no route for {request.Method} {request.Host}{request.Path}"));
    }
}
