namespace Mesh.Proxy.Config;

/// <summary>
/// Passive health: ejects endpoints that fail (consecutive 5xx / gateway errors), that succeed less than their
/// siblings, or that are much slower than their siblings. Ejection time grows with each ejection.
/// </summary>
public sealed record OutlierDetectionConfig
{
    /// <summary>Consecutive 5xx responses that eject; 0 disables.</summary>
    public int Consecutive5xx { get; init; } = 5;

    /// <summary>Consecutive 502/503/504 or connect failures that eject; 0 disables.</summary>
    public int ConsecutiveGatewayFailures { get; init; } = 5;

    /// <summary>How often success-rate and latency statistics are evaluated (and ejections expire).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First ejection time; the n-th ejection in a row lasts n times this, up to <see cref="MaxEjectionTime"/>.</summary>
    public TimeSpan BaseEjectionTime { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxEjectionTime { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Never eject more than this share of a cluster (0-100); at least one endpoint may always be ejected.</summary>
    public double MaxEjectedPercent { get; init; } = 50;

    public SuccessRateOutlierConfig? SuccessRate { get; init; }

    public LatencyOutlierConfig? Latency { get; init; }
}
