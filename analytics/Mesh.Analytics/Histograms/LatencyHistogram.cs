using System.Numerics;
using System.Runtime.InteropServices;
using Mesh.Core.Rollups;

namespace Mesh.Analytics.Histograms;

/// <summary>
/// A log-linear latency histogram over nanoseconds (HDR-style): values below 32 get a bucket each; above, every
/// power of two is split into 32 equal buckets. A bucket's midpoint is then within 1/64 (1.6 %) of any value in
/// it, which bounds the relative error of every quantile read from it. Buckets are fixed (no per-instance
/// parameters), so histograms from any node and any time add bucket by bucket (<see cref="HistogramCounts"/>).
/// Not thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>log2 of the sub-buckets per power of two.</summary>
    private const int SubBits = 5;
    private const int SubBuckets = 1 << SubBits;

    /// <summary>The largest relative error of a quantile estimate: half a bucket over the bucket's lower bound.</summary>
    public const double RelativeErrorBound = 1.0 / (2 * SubBuckets);

    private readonly Dictionary<int, long> _counts = [];

    public long Count { get; private set; }

    public static int IndexOf(long nanos)
    {
        if (nanos < SubBuckets)
        {
            return (int)Math.Max(0, nanos);
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)nanos);
        var shift = exponent - SubBits;
        var sub = (int)(nanos >> shift) - SubBuckets;
        return ((shift + 1) << SubBits) + sub;
    }

    /// <summary>The smallest value of bucket <paramref name="index"/>, and how many integers it spans.</summary>
    public static (long Lower, long Width) BoundsOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index < SubBuckets)
        {
            return (index, 1);
        }

        var shift = (index >> SubBits) - 1;
        var sub = index & (SubBuckets - 1);
        return ((long)(SubBuckets + sub) << shift, 1L << shift);
    }

    /// <summary>The value a bucket stands for: its midpoint.</summary>
    public static double ValueOf(int index)
    {
        var (lower, width) = BoundsOf(index);
        return lower + ((width - 1) / 2.0);
    }

    public void Record(long nanos, long count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_counts, IndexOf(nanos), out _) += count;
        Count += count;
    }

    /// <summary>Adds every bucket of <paramref name="other"/> (the buckets are the same in every histogram).</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (index, count) in other._counts)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_counts, index, out _) += count;
        }

        Count += other.Count;
    }

    public void Add(HistogramCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        for (var i = 0; i < counts.BucketCount; i++)
        {
            _counts[counts.Indexes[i]] = _counts.GetValueOrDefault(counts.Indexes[i]) + counts.Counts[i];
            Count += counts.Counts[i];
        }
    }

    public HistogramCounts ToCounts() => HistogramCounts.From(_counts);

    /// <summary>
    /// The nearest-rank <paramref name="quantile"/> (0 &lt; q ≤ 1) in nanoseconds: the value of rank ⌈q·n⌉ in sorted
    /// order, within <see cref="RelativeErrorBound"/>. Null when empty.
    /// </summary>
    public double? Quantile(double quantile) => Quantile(ToCounts(), quantile);

    public static double? Quantile(HistogramCounts counts, double quantile)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        var total = counts.Total;
        if (total == 0)
        {
            return null;
        }

        // The epsilon keeps 0.99 * 100 (99.00000000000001 in binary) at rank 99.
        var rank = Math.Max(1, (long)Math.Ceiling((quantile * total) - 1e-9));
        long seen = 0;
        for (var i = 0; i < counts.BucketCount; i++)
        {
            seen += counts.Counts[i];
            if (seen >= rank)
            {
                return ValueOf(counts.Indexes[i]);
            }
        }

        return ValueOf(counts.Indexes[^1]);
    }
}
