using Mesh.Proxy.Config;

namespace Mesh.ControlPlane.Resources;

/// <summary>
/// Traffic policy for calls to <see cref="Service"/>: ordered rules (matches, splits, retries, timeouts, faults,
/// mirroring, rate limits) and how the service's endpoints are balanced and protected. The nested policy
/// records are the proxy's own config types, so the control plane cannot accept what a proxy cannot run.
/// </summary>
internal sealed record RouteSpec
{
    public string Service { get; init; } = "";

    public LoadBalancerPolicy? LoadBalancer { get; init; }

    public OutlierDetectionConfig? OutlierDetection { get; init; }

    public HealthCheckConfig? HealthCheck { get; init; }

    public CircuitBreakerConfig? CircuitBreaker { get; init; }

    public IReadOnlyList<RouteRule> Routes { get; init; } = [];
}
