using Mesh.Bench.Baseline;

namespace Mesh.Bench.Ingest;

/// <summary>Mesh's run, the vendor baseline on the same rows, and the CPU each side used.</summary>
internal sealed record IngestBenchmarkResult(
    IngestSettings Settings,
    IngestResult Mesh,
    BaselineResult Baseline,
    TimeSpan MeshCpu,
    TimeSpan? ClickHouseCpu,
    TimeSpan LoadGeneratorCpu,
    string MeshConfiguration,
    bool ServerGc)
{
    /// <summary>Mesh's end-to-end spans/s over the baseline's: 1.0 would be Mesh as fast as the vendor's own bulk load.</summary>
    public double Ratio => Mesh.EndToEndRate / Baseline.SpansPerSecond;
}
