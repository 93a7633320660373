namespace Mesh.Proxy.Runtime;

/// <summary>
/// Lock-free log-bucketed latency histogram (about 9% per bucket from 0.05 ms to ~30 min): recording is one
/// Interlocked increment, so the hot path never contends; percentiles are read at outlier evaluation.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double MinMs = 0.05;
    private const double Growth = 1.09;
    private const int Buckets = 200;
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _counts = new long[Buckets];

    public void Record(double ms)
    {
        var index = ms <= MinMs ? 0 : Math.Min(Buckets - 1, (int)(Math.Log(ms / MinMs) / LogGrowth) + 1);
        Interlocked.Increment(ref _counts[index]);
    }

    public long Count
    {
        get
        {
            long total = 0;
            foreach (var c in _counts)
            {
                total += Volatile.Read(in c);
            }

            return total;
        }
    }

    /// <summary>Upper bound of the bucket holding the given percentile (0-100); 0 when empty.</summary>
    public double Percentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return MinMs * Math.Pow(Growth, i);
            }
        }

        return MinMs * Math.Pow(Growth, Buckets - 1);
    }

    public void Reset()
    {
        for (var i = 0; i < Buckets; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }
    }
}
