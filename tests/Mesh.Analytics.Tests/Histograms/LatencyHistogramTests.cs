using Mesh.Analytics.Histograms;
using Mesh.Core.Rollups;
using Xunit;

namespace Mesh.Analytics.Tests.Histograms;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Quantiles = [0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0];

    /// <summary>The nearest-rank quantile of the raw values: the value of rank ⌈q·n⌉.</summary>
    private static long Exact(long[] sorted, double q) => sorted[Math.Max(1, (int)Math.Ceiling((q * sorted.Length) - 1e-9)) - 1];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Quantile_LogNormalLatencies_WithinTwoPercentOfExact(int seed)
    {
        var random = new Random(seed);
        var values = new long[20_000];
        var histogram = new LatencyHistogram();
        for (var i = 0; i < values.Length; i++)
        {
            // Log-normal around 5 ms with a long tail: microseconds to seconds.
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = (long)(5_000_000 * Math.Exp(1.5 * normal));
            histogram.Record(values[i]);
        }

        Array.Sort(values);
        foreach (var q in Quantiles)
        {
            var exact = Exact(values, q);
            var estimate = histogram.Quantile(q)!.Value;
            Assert.True(Math.Abs(estimate - exact) <= 0.02 * exact, $"q={q}: estimate {estimate} vs exact {exact}");
        }
    }

    [Fact]
    public void BoundsOf_EveryIndexUpToSeconds_ContiguousAndWithinErrorBound()
    {
        long expectedLower = 0;
        for (var index = 0; index < 40 * 32; index++)
        {
            var (lower, width) = LatencyHistogram.BoundsOf(index);
            Assert.Equal(expectedLower, lower);
            Assert.Equal(index, LatencyHistogram.IndexOf(lower));
            Assert.Equal(index, LatencyHistogram.IndexOf(lower + width - 1));
            var mid = LatencyHistogram.ValueOf(index);
            Assert.True(lower == 0 || (mid - lower) / lower <= LatencyHistogram.RelativeErrorBound);
            Assert.True(lower == 0 || (lower + width - 1 - mid) / (lower + width - 1) <= LatencyHistogram.RelativeErrorBound);
            expectedLower = lower + width;
        }

        Assert.True(LatencyHistogram.RelativeErrorBound <= 0.02);
    }

    [Fact]
    public void Add_HistogramsFromTwoNodes_EqualsOneHistogramOfAllValues()
    {
        var random = new Random(7);
        var all = new LatencyHistogram();
        var nodeA = new LatencyHistogram();
        var nodeB = new LatencyHistogram();
        var values = new List<long>();
        for (var i = 0; i < 5_000; i++)
        {
            var v = random.NextInt64(1_000, 2_000_000_000);
            values.Add(v);
            all.Record(v);
            (i % 3 == 0 ? nodeA : nodeB).Record(v);
        }

        var merged = nodeA.ToCounts().Add(nodeB.ToCounts());
        Assert.Equal(all.ToCounts(), merged);
        values.Sort();
        var sorted = values.ToArray();
        foreach (var q in Quantiles)
        {
            var exact = Exact(sorted, q);
            Assert.InRange(LatencyHistogram.Quantile(merged, q)!.Value, exact * 0.98, exact * 1.02);
        }
    }

    [Fact]
    public void Quantile_Empty_Null()
    {
        Assert.Null(new LatencyHistogram().Quantile(0.5));
    }

    [Fact]
    public void Encode_RoundTrips_AndGarbageIsRejected()
    {
        var histogram = new LatencyHistogram();
        foreach (var v in new long[] { 0, 1, 31, 32, 1_000, 1_000_000, 3_600_000_000_000, long.MaxValue })
        {
            histogram.Record(v, 3);
        }

        var counts = histogram.ToCounts();
        Assert.True(HistogramCounts.TryDecode(counts.Encode(), out var decoded));
        Assert.Equal(counts, decoded);
        Assert.True(HistogramCounts.TryDecode(HistogramCounts.Empty.Encode(), out var empty));
        Assert.Equal(0, empty.BucketCount);
        Assert.False(HistogramCounts.TryDecode([0x05, 0x01], out _));
        Assert.False(HistogramCounts.TryDecode([0x01, 0x01, 0x01, 0x00], out _));
    }
}
