using System.Globalization;
using Mesh.Bench.Ingest;

namespace Mesh.Bench;

/// <summary>Formats results as the lines that go into docs/benchmarks.md.</summary>
internal static class Report
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Ingest(IngestResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"acknowledged {r.AcknowledgedSpans:N0} spans in {r.LoadSeconds:F1} s; store held all of them after {r.EndToEndSeconds:F1} s\n" +
        $"  end-to-end (acknowledged and written): {r.EndToEndRate:N0} spans/s\n" +
        $"  acknowledged per second: median {Median(r.AcknowledgedPerSecond):N0}, min {(r.AcknowledgedPerSecond.Length > 0 ? r.AcknowledgedPerSecond.Min() : 0):N0}\n" +
        $"  written per second:      median {Median(r.WrittenPerSecond):N0}\n" +
        $"  429 responses: {r.Throttled}, failed requests: {r.Failed}");
}
