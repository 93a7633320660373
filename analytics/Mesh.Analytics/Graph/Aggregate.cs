using Mesh.Analytics.Histograms;
using Mesh.Core.Rollups;

namespace Mesh.Analytics.Graph;

/// <summary>Rollup rows added together (an edge's or a node's), with its latency histogram.</summary>
internal sealed class Aggregate
{
    private readonly HistogramAccumulator _histogram = new();
    private HistogramCounts? _counts;

    /// <summary>The histogram in sorted form, built once for every quantile read from it (after the last <see cref="Add"/>).</summary>
    public HistogramCounts Counts => _counts ??= _histogram.ToCounts();

    public long Requests { get; private set; }

    public long Errors { get; private set; }

    public long BytesIn { get; private set; }

    public long BytesOut { get; private set; }

    public long Mtls { get; private set; }

    public long Retries { get; private set; }

    public long RateLimited { get; private set; }

    public long CircuitBroken { get; private set; }

    public SortedSet<string> Routes { get; } = new(StringComparer.Ordinal);

    public void Add(RollupRow row)
    {
        Requests += row.Requests;
        Errors += row.Errors;
        BytesIn += row.BytesIn;
        BytesOut += row.BytesOut;
        Mtls += row.MtlsRequests;
        Retries += row.Retries;
        RateLimited += row.RateLimited;
        CircuitBroken += row.CircuitBroken;
        _histogram.Add(row.Histogram);
        _counts = null;
        if (row.Key.Route.Length > 0)
        {
            Routes.Add(row.Key.Route);
        }
    }

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    public double? QuantileMs(double q) => LatencyHistogram.Quantile(Counts, q) / 1e6;

    public double? QuantileNanos(double q) => LatencyHistogram.Quantile(Counts, q);
}
