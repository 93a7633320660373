using Mesh.Proxy.LoadBalancing;

namespace Mesh.Proxy.Runtime;

/// <summary>One arm of a route's split, resolved: the cluster, the endpoints of its subset, and their balancer.</summary>
internal sealed record Destination(ClusterState Cluster, string? Subset, EndpointState[] Endpoints, ILoadBalancer Balancer, int Weight);
