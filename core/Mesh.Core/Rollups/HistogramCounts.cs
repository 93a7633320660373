namespace Mesh.Core.Rollups;

/// <summary>
/// The stored form of a latency histogram: counts per bucket index, sparse and sorted by index. Stores only add
/// counts index by index (which is what makes histograms from several nodes and several buckets mergeable); what an
/// index means is the analytics' business (<c>Mesh.Analytics.LatencyHistogram</c>). Immutable.
/// </summary>
public sealed class HistogramCounts : IEquatable<HistogramCounts>
{
    public static readonly HistogramCounts Empty = new([], []);

    private readonly int[] _indexes;
    private readonly long[] _counts;

    /// <summary>Takes ownership of two arrays of equal length: indexes ascending, counts positive (not checked).</summary>
    internal HistogramCounts(int[] indexes, long[] counts)
    {
        _indexes = indexes;
        _counts = counts;
    }

    public ReadOnlySpan<int> Indexes => _indexes;

    public ReadOnlySpan<long> Counts => _counts;

    public int BucketCount => _indexes.Length;

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var c in _counts)
            {
                total += c;
            }

            return total;
        }
    }

    /// <summary>From (index, count) pairs in any order; equal indexes add up, zero counts are left out.</summary>
    public static HistogramCounts From(IEnumerable<KeyValuePair<int, long>> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var sorted = new SortedDictionary<int, long>();
        foreach (var (index, count) in buckets)
        {
            if (index < 0 || count < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(buckets), "bucket indexes and counts are never negative");
            }

            sorted[index] = sorted.GetValueOrDefault(index) + count;
        }

        var indexes = new List<int>(sorted.Count);
        var counts = new List<long>(sorted.Count);
        foreach (var (index, count) in sorted)
        {
            if (count > 0)
            {
                indexes.Add(index);
                counts.Add(count);
            }
        }

        return indexes.Count == 0 ? Empty : new HistogramCounts([.. indexes], [.. counts]);
    }

    /// <summary>Bucket-wise sum: a linear merge of the two sorted lists.</summary>
    public HistogramCounts Add(HistogramCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._indexes.Length == 0)
        {
            return this;
        }

        if (_indexes.Length == 0)
        {
            return other;
        }

        var indexes = new int[_indexes.Length + other._indexes.Length];
        var counts = new long[indexes.Length];
        int i = 0, j = 0, n = 0;
        while (i < _indexes.Length || j < other._indexes.Length)
        {
            if (j == other._indexes.Length || (i < _indexes.Length && _indexes[i] < other._indexes[j]))
            {
                indexes[n] = _indexes[i];
                counts[n++] = _counts[i++];
            }
            else if (i == _indexes.Length || other._indexes[j] < _indexes[i])
            {
                indexes[n] = other._indexes[j];
                counts[n++] = other._counts[j++];
            }
            else
            {
                indexes[n] = _indexes[i];
                counts[n++] = _counts[i++] + other._counts[j++];
            }
        }

        return new HistogramCounts(indexes[..n], counts[..n]);
    }

    /// <summary>A compact binary form (varints: bucket count, then index deltas and counts), for blob columns.</summary>
    public byte[] Encode()
    {
        var buffer = new byte[10 * (1 + (2 * _indexes.Length))];
        var n = WriteVarint(buffer, 0, (ulong)_indexes.Length);
        var previous = 0;
        for (var k = 0; k < _indexes.Length; k++)
        {
            n = WriteVarint(buffer, n, (ulong)(_indexes[k] - previous));
            n = WriteVarint(buffer, n, (ulong)_counts[k]);
            previous = _indexes[k];
        }

        return buffer[..n];
    }

    /// <summary>Reads <see cref="Encode"/>'s form; false when the bytes are not one.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out HistogramCounts counts)
    {
        counts = Empty;
        var at = 0;
        if (!TryReadVarint(data, ref at, out var length) || length > (ulong)data.Length)
        {
            return false;
        }

        var indexes = new int[(int)length];
        var values = new long[(int)length];
        long index = 0;
        for (var k = 0; k < indexes.Length; k++)
        {
            if (!TryReadVarint(data, ref at, out var delta) || !TryReadVarint(data, ref at, out var count)
                || (k > 0 && delta == 0) || count > long.MaxValue || (index += (long)delta) > int.MaxValue)
            {
                return false;
            }

            indexes[k] = (int)index;
            values[k] = (long)count;
        }

        if (at != data.Length)
        {
            return false;
        }

        counts = indexes.Length == 0 ? Empty : new HistogramCounts(indexes, values);
        return true;
    }

    public bool Equals(HistogramCounts? other) =>
        other is not null && _indexes.AsSpan().SequenceEqual(other._indexes) && _counts.AsSpan().SequenceEqual(other._counts);

    public override bool Equals(object? obj) => Equals(obj as HistogramCounts);

    public override int GetHashCode() => HashCode.Combine(_indexes.Length, Total);

    private static int WriteVarint(byte[] buffer, int at, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[at++] = (byte)value;
        return at;
    }

    internal static bool TryReadVarint(ReadOnlySpan<byte> data, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length)
            {
                return false;
            }

            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
