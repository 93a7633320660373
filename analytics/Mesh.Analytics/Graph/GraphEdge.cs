using Mesh.Analytics.Health;

namespace Mesh.Analytics.Graph;

/// <summary>Traffic from one service to another over the window, every version, endpoint and route together.</summary>
public sealed record GraphEdge
{
    public required string Source { get; init; }

    public required string Target { get; init; }

    public required long Requests { get; init; }

    public required double Rps { get; init; }

    public required long Errors { get; init; }

    /// <summary>Fraction of requests that failed (0.01 = 1 %).</summary>
    public required double ErrorRate { get; init; }

    public double? P50Ms { get; init; }

    public double? P95Ms { get; init; }

    public double? P99Ms { get; init; }

    public required long BytesIn { get; init; }

    public required long BytesOut { get; init; }

    /// <summary>Fraction of requests over mutual TLS.</summary>
    public required double MtlsRate { get; init; }

    public required long Retries { get; init; }

    public required long RateLimited { get; init; }

    public required long CircuitBroken { get; init; }

    public required IReadOnlyList<string> Routes { get; init; }

    public required HealthReport Health { get; init; }
}
