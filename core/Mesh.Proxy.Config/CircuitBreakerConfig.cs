namespace Mesh.Proxy.Config;

/// <summary>Per-cluster admission limits; past them requests fail fast with 503 and a reason header.</summary>
public sealed record CircuitBreakerConfig
{
    /// <summary>Requests in flight to the cluster (all endpoints).</summary>
    public int MaxConcurrent { get; init; } = 1024;

    /// <summary>Requests allowed to wait for a slot when <see cref="MaxConcurrent"/> is reached; 0 fails at once.</summary>
    public int MaxPending { get; init; } = 128;

    /// <summary>How long a pending request waits for a slot before it fails.</summary>
    public TimeSpan PendingTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
