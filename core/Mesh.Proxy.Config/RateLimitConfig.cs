namespace Mesh.Proxy.Config;

/// <summary>Local token bucket: <see cref="RequestsPerSecond"/> refill, <see cref="Burst"/> capacity.</summary>
public sealed record RateLimitConfig
{
    public double RequestsPerSecond { get; init; }

    /// <summary>Bucket capacity; defaults to one second of refill.</summary>
    public int? Burst { get; init; }

    /// <summary>One bucket per source identity (mTLS peer, else <see cref="SourceHeader"/>, else client address) instead of one per route.</summary>
    public bool PerSource { get; init; }

    public string SourceHeader { get; init; } = "x-mesh-source";
}
