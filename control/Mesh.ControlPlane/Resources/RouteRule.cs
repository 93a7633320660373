using Mesh.Proxy.Config;

namespace Mesh.ControlPlane.Resources;

/// <summary>One rule of a Route: the first rule whose match holds takes the request.</summary>
internal sealed record RouteRule
{
    public string? Name { get; init; }

    public RouteMatch? Match { get; init; }

    /// <summary>Weighted arms by version (canary); empty sends everything to the service's endpoints.</summary>
    public IReadOnlyList<SplitArm> Split { get; init; } = [];

    public TimeSpan? Timeout { get; init; }

    public RetryPolicy? Retry { get; init; }

    public FaultConfig? Fault { get; init; }

    public RouteMirror? Mirror { get; init; }

    public RateLimitConfig? RateLimit { get; init; }
}
