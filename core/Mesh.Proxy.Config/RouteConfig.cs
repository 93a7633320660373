namespace Mesh.Proxy.Config;

/// <summary>A route: what requests it takes, where they go, and the policies applied on the way.</summary>
public sealed record RouteConfig
{
    public string Name { get; init; } = "";

    /// <summary>Listener names this route serves; empty means every listener.</summary>
    public IReadOnlyList<string> Listeners { get; init; } = [];

    public RouteMatch Match { get; init; } = new();

    /// <summary>Path template for telemetry (<c>http.route</c>), e.g. <c>/items/{id}</c>; defaults to the path match.</summary>
    public string? PathTemplate { get; init; }

    /// <summary>Shorthand for a split with one destination at weight 100.</summary>
    public string? Cluster { get; init; }

    /// <summary>Weighted destinations (canary, blue-green); weights sum to 100.</summary>
    public IReadOnlyList<WeightedDestination> Split { get; init; } = [];

    /// <summary>Whole-request deadline, all tries included; null means none.</summary>
    public TimeSpan? Timeout { get; init; }

    public RetryPolicy? Retry { get; init; }

    public FaultConfig? Fault { get; init; }

    public MirrorConfig? Mirror { get; init; }

    public RateLimitConfig? RateLimit { get; init; }

    public HeaderRewrite? RequestHeaders { get; init; }

    public HeaderRewrite? ResponseHeaders { get; init; }
}
