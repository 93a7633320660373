using Mesh.Proxy.Config;
using Mesh.Proxy.Policies;
using Mesh.Proxy.Resilience;
using Mesh.Proxy.Routing;

namespace Mesh.Proxy.Runtime;

/// <summary>A route ready for the hot path: compiled matchers, resolved destinations, its own budget and limiter.</summary>
internal sealed class CompiledRoute
{
    private readonly int _totalWeight;

    public CompiledRoute(RouteConfig config, Destination[] destinations, ClusterState? mirror, TimeProvider time)
    {
        Config = config;
        Matcher = new RouteMatcher(config.Match);
        Destinations = destinations;
        _totalWeight = destinations.Sum(d => d.Weight);
        HttpRoute = config.PathTemplate ?? Matcher.PathText ?? "/";
        Budget = config.Retry is { } retry ? new RetryBudgetState(retry.Budget, time) : null;
        RateLimiter = config.RateLimit is { } rl ? new RateLimiter(rl, time) : null;
        FaultHeaders = [.. (config.Fault?.Headers ?? []).Select(h => new ValueMatcher(h))];
        Mirror = mirror;
    }

    public RouteConfig Config { get; }

    public string Name => Config.Name;

    public RouteMatcher Matcher { get; }

    /// <summary>Value of <c>http.route</c>: the path template, else the path match as written.</summary>
    public string HttpRoute { get; }

    public Destination[] Destinations { get; }

    public RetryBudgetState? Budget { get; }

    public RateLimiter? RateLimiter { get; }

    public ValueMatcher[] FaultHeaders { get; }

    public ClusterState? Mirror { get; }

    /// <summary>Weighted pick of a destination; <paramref name="roll"/> is uniform in [0, 1).</summary>
    public Destination PickDestination(double roll)
    {
        if (Destinations.Length == 1 || _totalWeight == 0)
        {
            return Destinations[0];
        }

        var target = roll * _totalWeight;
        foreach (var d in Destinations)
        {
            if (target < d.Weight)
            {
                return d;
            }

            target -= d.Weight;
        }

        return Destinations[^1];
    }
}
