namespace Mesh.Proxy.Config;

/// <summary>One upstream instance.</summary>
public sealed record EndpointConfig
{
    public string Address { get; init; } = "";

    public int Port { get; init; }

    /// <summary>Version subset this endpoint belongs to (what <see cref="WeightedDestination.Subset"/> selects).</summary>
    public string? Version { get; init; }

    /// <summary>Relative weight for the load balancer (1-1000); the admin API can override it at runtime.</summary>
    public int Weight { get; init; } = 100;
}
