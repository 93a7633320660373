namespace Mesh.Analytics.Health;

/// <summary>
/// A health verdict: a score (100 best; null without traffic) consistent with the state (healthy above 90,
/// degraded 50 to 90, failing below 50), and the reasons that produced it.
/// </summary>
public sealed record HealthReport(int? Score, HealthState State, IReadOnlyList<HealthReason> Reasons, double? AnomalyScore)
{
    public static readonly HealthReport NoTraffic = new(null, HealthState.NoTraffic, [], null);
}
