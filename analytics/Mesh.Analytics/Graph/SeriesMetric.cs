namespace Mesh.Analytics.Graph;

/// <summary>What an edge time series plots.</summary>
public enum SeriesMetric
{
    /// <summary>Requests per second.</summary>
    Rps = 0,

    /// <summary>Percentage of requests that failed.</summary>
    Errors = 1,

    /// <summary>99th percentile latency, milliseconds (null in a step without requests).</summary>
    P99 = 2,
}
