namespace Mesh.Proxy.Config;

/// <summary>
/// Eject an endpoint whose latency (the <see cref="Percentile"/> in the interval) is more than
/// <see cref="Factor"/> times the median of its siblings' and above <see cref="MinLatency"/>.
/// </summary>
public sealed record LatencyOutlierConfig
{
    public int MinRequests { get; init; } = 20;

    /// <summary>Endpoints with enough requests needed to compare (the slow one included).</summary>
    public int MinEndpoints { get; init; } = 2;

    public double Factor { get; init; } = 3;

    /// <summary>50-99.9: the latency percentile compared.</summary>
    public double Percentile { get; init; } = 90;

    /// <summary>Below this an endpoint is never a latency outlier, however it compares.</summary>
    public TimeSpan MinLatency { get; init; } = TimeSpan.FromMilliseconds(10);
}
