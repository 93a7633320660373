namespace Mesh.Bench.Query;

/// <summary>Timed calls of one query: each call's latency and how many items it returned.</summary>
internal sealed record Latency(string Query, double[] Milliseconds, int[] Results)
{
    public double Median => Report.Median(Milliseconds);

    public double P99 => Report.Percentile(Milliseconds, 99);
}
