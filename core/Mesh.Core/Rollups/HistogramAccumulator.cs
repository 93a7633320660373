namespace Mesh.Core.Rollups;

/// <summary>
/// Adds many histograms into one, for reads that merge thousands of rows: counts live in one dense array over the
/// range of indexes seen so far (latencies of one edge span a few octaves: a hundred-odd buckets), so adding a
/// bucket is an array increment, and stored blobs are added without being decoded into objects first. Not
/// thread-safe.
/// </summary>
public sealed class HistogramAccumulator
{
    /// <summary>Spare room on each side when the range grows, so neighbouring buckets do not grow it again.</summary>
    private const int Slack = 16;

    private long[] _counts = [];
    private int _first;

    /// <summary>The sum of every count added.</summary>
    public long Total { get; private set; }

    public void Add(int index, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        var at = index - _first;
        if ((uint)at >= (uint)_counts.Length)
        {
            Grow(index);
            at = index - _first;
        }

        _counts[at] += count;
        Total += count;
    }

    public void Add(HistogramCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var indexes = counts.Indexes;
        var values = counts.Counts;
        for (var i = 0; i < indexes.Length; i++)
        {
            Add(indexes[i], values[i]);
        }
    }

    /// <summary>
    /// Adds a histogram in <see cref="HistogramCounts.Encode"/>'s form. False, with nothing added, when the bytes are
    /// not one.
    /// </summary>
    public bool TryAddEncoded(ReadOnlySpan<byte> data)
    {
        // One pass that adds as it checks; a bad blob (rare: only a foreign writer makes one) takes back what it added.
        var at = 0;
        if (!HistogramCounts.TryReadVarint(data, ref at, out var length) || length > (ulong)data.Length)
        {
            return false;
        }

        long index = 0;
        for (ulong k = 0; k < length; k++)
        {
            if (!HistogramCounts.TryReadVarint(data, ref at, out var delta) || !HistogramCounts.TryReadVarint(data, ref at, out var count)
                || (k > 0 && delta == 0) || count > long.MaxValue || delta > int.MaxValue || (index += (long)delta) > int.MaxValue)
            {
                TakeBack(data, k);
                return false;
            }

            Add((int)index, (long)count);
        }

        if (at != data.Length)
        {
            TakeBack(data, length);
            return false;
        }

        return true;
    }

    /// <summary>What was added, in stored form.</summary>
    public HistogramCounts ToCounts()
    {
        var n = 0;
        foreach (var c in _counts)
        {
            n += c > 0 ? 1 : 0;
        }

        if (n == 0)
        {
            return HistogramCounts.Empty;
        }

        var indexes = new int[n];
        var counts = new long[n];
        n = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0)
            {
                indexes[n] = _first + i;
                counts[n++] = _counts[i];
            }
        }

        return new HistogramCounts(indexes, counts);
    }

    /// <summary>Subtracts the first <paramref name="added"/> buckets of <paramref name="data"/>, which were valid and added.</summary>
    private void TakeBack(ReadOnlySpan<byte> data, ulong added)
    {
        var at = 0;
        _ = HistogramCounts.TryReadVarint(data, ref at, out _);
        long index = 0;
        for (ulong k = 0; k < added; k++)
        {
            _ = HistogramCounts.TryReadVarint(data, ref at, out var delta);
            _ = HistogramCounts.TryReadVarint(data, ref at, out var count);
            index += (long)delta;
            if (count > 0)
            {
                _counts[(int)index - _first] -= (long)count;
                Total -= (long)count;
            }
        }
    }

    private void Grow(int index)
    {
        if (_counts.Length == 0)
        {
            _first = Math.Max(0, index - Slack);
            _counts = new long[(index - _first) + Slack + 1];
            return;
        }

        var last = _first + _counts.Length - 1;
        var first = index < _first ? Math.Max(0, index - Slack) : _first;
        var newLast = index > last ? index + Slack : last;

        // Grow by at least half again, so a range widening bucket by bucket copies O(n) in all.
        var length = Math.Max(newLast - first + 1, _counts.Length + (_counts.Length / 2));
        if (index < _first)
        {
            first = Math.Max(0, last + 1 - length);
        }

        var grown = new long[length];
        Array.Copy(_counts, 0, grown, _first - first, _counts.Length);
        _counts = grown;
        _first = first;
    }
}
