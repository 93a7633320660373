using Mesh.Proxy.Runtime;

namespace Mesh.Proxy.LoadBalancing;

/// <summary>
/// Picks the endpoint for one try. Contract: <paramref name="endpoints"/> is non-empty; the balancer prefers
/// endpoints that are <see cref="EndpointState.Available"/> and, only when none is, picks among all of them and
/// sets <paramref name="panic"/> (the request then goes to an ejected endpoint, as Envoy's panic mode does,
/// rather than failing outright). Thread-safe; called on the hot path, so it must not allocate.
/// </summary>
internal interface ILoadBalancer
{
    EndpointState Pick(EndpointState[] endpoints, long nowTicks, out bool panic);
}
