namespace Mesh.Bench.Ingest;

/// <summary>What one ingest load run measured.</summary>
internal sealed record IngestResult(
    long AcknowledgedSpans,
    double LoadSeconds,
    double EndToEndSeconds,
    double[] AcknowledgedPerSecond,
    double[] WrittenPerSecond,
    long Throttled,
    long Failed)
{
    /// <summary>Spans per second from the first byte sent until the store held all acknowledged spans.</summary>
    public double EndToEndRate => AcknowledgedSpans / EndToEndSeconds;
}
