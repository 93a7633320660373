namespace Mesh.Analytics.Health;

/// <summary>
/// Where health verdicts take an anomaly score from: the seam anomaly detection plugs into. Without one, health
/// rests on thresholds and baselines alone.
/// </summary>
public interface IAnomalyScoreSource
{
    /// <summary>0 (normal) to 1 (certainly anomalous) for the edge over the window; null when it has no opinion.</summary>
    double? EdgeScore(string source, string target, long startUnixSeconds, long endUnixSeconds);
}
