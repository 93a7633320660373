namespace Mesh.Proxy.Admin;

/// <summary>RED for one route and cluster: requests by status code, and a latency histogram (Prometheus buckets).</summary>
internal sealed class RouteMetrics
{
    public static readonly double[] BucketsMs = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private readonly long[] _buckets = new long[BucketsMs.Length + 1];
    private readonly long[] _byStatus = new long[600];
    private long _sumMicros;

    public RouteMetrics(string route, string cluster)
    {
        Route = route;
        Cluster = cluster;
    }

    public string Route { get; }

    public string Cluster { get; }

    public void Record(int status, double durationMs)
    {
        Interlocked.Increment(ref _byStatus[status is >= 100 and < 600 ? status : 0]);
        var i = 0;
        while (i < BucketsMs.Length && durationMs > BucketsMs[i])
        {
            i++;
        }

        Interlocked.Increment(ref _buckets[i]);
        Interlocked.Add(ref _sumMicros, (long)(durationMs * 1000));
    }

    public IEnumerable<(int Status, long Count)> ByStatus()
    {
        for (var s = 0; s < _byStatus.Length; s++)
        {
            var n = Interlocked.Read(ref _byStatus[s]);
            if (n > 0)
            {
                yield return (s, n);
            }
        }
    }

    /// <summary>Count per bucket (not cumulative); the last is +Inf.</summary>
    public long[] Buckets() => [.. _buckets.Select((_, i) => Interlocked.Read(ref _buckets[i]))];

    public double SumSeconds => Interlocked.Read(ref _sumMicros) / 1e6;
}
