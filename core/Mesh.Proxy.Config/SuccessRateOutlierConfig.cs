namespace Mesh.Proxy.Config;

/// <summary>Eject an endpoint whose success rate is below mean - StdevFactor x stdev of its siblings (per interval).</summary>
public sealed record SuccessRateOutlierConfig
{
    /// <summary>Requests an endpoint needs in the interval to be judged.</summary>
    public int MinRequests { get; init; } = 20;

    /// <summary>Endpoints with enough requests needed for the statistic to mean anything.</summary>
    public int MinEndpoints { get; init; } = 3;

    public double StdevFactor { get; init; } = 1.9;
}
