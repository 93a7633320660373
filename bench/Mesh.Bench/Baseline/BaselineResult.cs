namespace Mesh.Bench.Baseline;

/// <summary>
/// The vendor's own bulk load of the rows Mesh stored: the ceiling Mesh is compared with.
/// <see cref="Seconds"/> is the sum over <see cref="Tables"/>, loaded one after the other.
/// </summary>
internal sealed record BaselineResult(string Tool, IReadOnlyList<TableLoad> Tables, long SpanRows, TimeSpan ToolCpu, TimeSpan? ServerCpu)
{
    public double Seconds => Tables.Sum(t => t.Seconds);

    /// <summary>Spans per second: span rows over the time to load every table a span is written to.</summary>
    public double SpansPerSecond => SpanRows / Seconds;
}

/// <summary>One table's load: rows, size of the file the tool read, and the tool's wall time.</summary>
internal sealed record TableLoad(string Table, long Rows, long FileBytes, double Seconds);
