using Mesh.Core.Rollups;

namespace Mesh.Analytics.Edges;

/// <summary>One request on one edge, as counted into the rollups.</summary>
public readonly record struct EdgeSample
{
    public required EdgeKey Key { get; init; }

    public required long StartUnixNano { get; init; }

    public required long DurationNanos { get; init; }

    public bool IsError { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    public bool Mtls { get; init; }

    public int Retries { get; init; }

    public bool RateLimited { get; init; }

    public bool CircuitBroken { get; init; }
}
