using System.Globalization;
using Mesh.Proxy.Config;

namespace Mesh.Proxy.Runtime;

/// <summary>
/// Live state of one upstream endpoint: load (outstanding), latency (peak EWMA), health (ejection, active checks).
/// Survives config swaps while the endpoint stays in its cluster, so a reload does not reset what was learned.
/// Fields are updated lock-free (Interlocked / volatile) except the EWMA, which takes a tiny per-endpoint lock.
/// </summary>
internal sealed class EndpointState
{
    // Linkerd's decay for peak-EWMA: how fast a past latency spike is forgotten.
    private static readonly TimeSpan EwmaDecay = TimeSpan.FromSeconds(10);
    private readonly Lock _ewmaLock = new();
    private double _ewmaMs;
    private long _ewmaStamp;
    private int _outstanding;
    private long _ejectedUntil;
    private int _weightOverride;

    public EndpointState(string cluster, EndpointConfig config)
    {
        Cluster = cluster;
        Config = config;
        Key = string.Create(CultureInfo.InvariantCulture, $"{config.Address}:{config.Port}");
        var host = config.Address.Contains(':', StringComparison.Ordinal) ? $"[{config.Address}]" : config.Address;
        BaseUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{config.Port}"));
    }

    public string Cluster { get; }

    /// <summary>The config of the latest snapshot that lists this endpoint.</summary>
    public EndpointConfig Config { get; set; }

    /// <summary>"address:port": the endpoint's identity across snapshots and in telemetry.</summary>
    public string Key { get; }

    public Uri BaseUri { get; }

    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Weight the balancer uses: a runtime override (analytics feedback) wins over config.</summary>
    public int Weight => Volatile.Read(ref _weightOverride) is var w and > 0 ? w : Config.Weight;

    public bool HasWeightOverride => Volatile.Read(ref _weightOverride) > 0;

    /// <summary>False while active health checks say the endpoint is down.</summary>
    public volatile bool ActiveHealthy = true;

    /// <summary>Ejections in a row; grows the next ejection, decays while the endpoint behaves.</summary>
    public int EjectionCount;

    public int ConsecutiveServerErrors;

    public int ConsecutiveGatewayFailures;

    public Stats Interval { get; } = new();

    public void SetWeightOverride(int weight) => Volatile.Write(ref _weightOverride, weight);

    public bool IsEjected(long nowTicks) => Volatile.Read(ref _ejectedUntil) > nowTicks;

    public long EjectedUntil => Volatile.Read(ref _ejectedUntil);

    public void Eject(long untilTicks) => Volatile.Write(ref _ejectedUntil, untilTicks);

    public void Uneject() => Volatile.Write(ref _ejectedUntil, 0);

    public bool Available(long nowTicks) => ActiveHealthy && !IsEjected(nowTicks) && Weight > 0;

    public void Start() => Interlocked.Increment(ref _outstanding);

    public void Finish() => Interlocked.Decrement(ref _outstanding);

    /// <summary>Peak-EWMA latency in ms (0 until the first response).</summary>
    public double EwmaMs
    {
        get
        {
            lock (_ewmaLock)
            {
                return _ewmaMs;
            }
        }
    }

    /// <summary>
    /// A slower sample replaces the estimate at once (peak sensitivity: a sick endpoint is avoided immediately);
    /// faster samples pull it down with a weight that grows with the time since the last sample.
    /// </summary>
    public void ObserveLatency(double ms, long nowTicks)
    {
        lock (_ewmaLock)
        {
            if (ms > _ewmaMs || _ewmaStamp == 0)
            {
                _ewmaMs = ms;
            }
            else
            {
                var elapsed = Math.Max(1, nowTicks - _ewmaStamp);
                var keep = Math.Exp(-elapsed / (double)EwmaDecay.Ticks);
                _ewmaMs = (_ewmaMs * keep) + (ms * (1 - keep));
            }

            _ewmaStamp = nowTicks;
        }
    }

    /// <summary>Per-interval counters for success-rate and latency outlier detection (reset on evaluation).</summary>
    internal sealed class Stats
    {
        private long _requests;
        private long _failures;

        public LatencyHistogram Latency { get; } = new();

        public long Requests => Interlocked.Read(ref _requests);

        public long Failures => Interlocked.Read(ref _failures);

        public void Record(bool failure, double latencyMs)
        {
            Interlocked.Increment(ref _requests);
            if (failure)
            {
                Interlocked.Increment(ref _failures);
            }

            Latency.Record(latencyMs);
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _failures, 0);
            Latency.Reset();
        }
    }
}
