namespace Mesh.Proxy.Config;

/// <summary>One arm of a split: a cluster, optionally narrowed to the endpoints of one version subset.</summary>
public sealed record WeightedDestination
{
    public string Cluster { get; init; } = "";

    /// <summary>Endpoint version to select (e.g. <c>v2</c>); null takes every endpoint of the cluster.</summary>
    public string? Subset { get; init; }

    public int Weight { get; init; } = 100;
}
