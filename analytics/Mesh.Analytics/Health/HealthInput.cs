namespace Mesh.Analytics.Health;

/// <summary>What a verdict is drawn from: a node's or edge's traffic over the window, and its latency baseline.</summary>
public sealed record HealthInput
{
    public long Requests { get; init; }

    public long Errors { get; init; }

    /// <summary>Requests rejected by a circuit breaker or a rate limit.</summary>
    public long Rejections { get; init; }

    public double? P95Nanos { get; init; }

    /// <summary>p95 over the baseline period (the day before the window), and how many requests it rests on.</summary>
    public double? BaselineP95Nanos { get; init; }

    public long BaselineRequests { get; init; }

    /// <summary>From anomaly detection once it exists (0 normal to 1 certainly anomalous); null until then.</summary>
    public double? AnomalyScore { get; init; }
}
