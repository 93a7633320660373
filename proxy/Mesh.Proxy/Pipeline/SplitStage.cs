namespace Mesh.Proxy.Pipeline;

/// <summary>Weighted destination choice (canary, blue-green): one roll per request, before admission, so the breaker of the chosen cluster applies.</summary>
internal sealed class SplitStage : IProxyStage
{
    private readonly ProxyEnvironment _env;

    public SplitStage(ProxyEnvironment env) => _env = env;

    public ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        var route = context.Route!;
        context.Destination = route.Destinations.Length == 1 ? route.Destinations[0] : route.PickDestination(_env.Random.NextDouble());
        return next(context);
    }
}
