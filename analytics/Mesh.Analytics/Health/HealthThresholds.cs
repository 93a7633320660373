namespace Mesh.Analytics.Health;

/// <summary>Where the states begin, for one service (or the default). Error rates are fractions (0.001 = 0.1 %).</summary>
public sealed record HealthThresholds
{
    /// <summary>Kiali's default: 0.1 % of requests failing makes a service degraded.</summary>
    public double DegradedErrorRate { get; init; } = 0.001;

    /// <summary>More than this fraction failing makes it failing (Kiali: 10 %).</summary>
    public double FailingErrorRate { get; init; } = 0.10;

    /// <summary>p95 latency this many times the edge's own baseline (the day before the window) makes it degraded.</summary>
    public double LatencyDegradedRatio { get; init; } = 2.0;

    /// <summary>Requests the baseline needs before latency is judged against it.</summary>
    public long MinBaselineRequests { get; init; } = 50;

    /// <summary>More than this fraction rejected by circuit breakers or rate limits makes it failing (any at all: degraded).</summary>
    public double FailingRejectionRate { get; init; } = 0.10;

    /// <summary>An anomaly score (0 to 1, from anomaly detection) at or above this makes it degraded.</summary>
    public double DegradedAnomalyScore { get; init; } = 0.8;

    public void Validate(string name)
    {
        if (!(DegradedErrorRate > 0 && DegradedErrorRate <= FailingErrorRate && FailingErrorRate < 1))
        {
            throw new ArgumentException($"{name}: error-rate thresholds need 0 < degraded ({DegradedErrorRate}) <= failing ({FailingErrorRate}) < 1");
        }

        if (!(LatencyDegradedRatio > 1) || MinBaselineRequests < 1 || !(FailingRejectionRate > 0 && FailingRejectionRate < 1)
            || !(DegradedAnomalyScore > 0 && DegradedAnomalyScore < 1))
        {
            throw new ArgumentException($"{name}: latency ratio must exceed 1, baseline requests be at least 1, rejection and anomaly thresholds lie in (0, 1)");
        }
    }
}
