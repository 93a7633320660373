using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Mesh.Proxy.Runtime;

namespace Mesh.Proxy.Resilience;

/// <summary>
/// Passive health for one cluster. Consecutive failures eject at once (from the response path); success-rate
/// and latency outliers against siblings are judged every interval from lock-free per-endpoint counters.
/// Ejections grow with repetition and are capped by max-ejected-percent, so detection can never empty a cluster.
/// Driven by an injected <see cref="TimeProvider"/>: tests call <see cref="Evaluate"/> on virtual time.
/// </summary>
internal sealed class OutlierDetector
{
    private readonly OutlierDetectionConfig _config;
    private readonly EndpointState[] _endpoints;
    private readonly TimeProvider _time;
    private readonly ProxyCounters _counters;
    private readonly Lock _ejectLock = new();

    public OutlierDetector(OutlierDetectionConfig config, EndpointState[] endpoints, TimeProvider time, ProxyCounters counters)
    {
        _config = config;
        _endpoints = endpoints;
        _time = time;
        _counters = counters;
    }

    public OutlierDetectionConfig Config => _config;

    /// <summary>Records a finished try; may eject on consecutive failures. Called on the hot path: no allocation.</summary>
    public void OnResult(EndpointState endpoint, Outcome outcome, double latencyMs)
    {
        endpoint.Interval.Record(outcome != Outcome.Success, latencyMs);
        if (outcome == Outcome.Success)
        {
            Volatile.Write(ref endpoint.ConsecutiveServerErrors, 0);
            Volatile.Write(ref endpoint.ConsecutiveGatewayFailures, 0);
            return;
        }

        var errors = Interlocked.Increment(ref endpoint.ConsecutiveServerErrors);
        var gateway = outcome == Outcome.GatewayFailure ? Interlocked.Increment(ref endpoint.ConsecutiveGatewayFailures) : 0;
        if (_config.Consecutive5xx > 0 && errors >= _config.Consecutive5xx)
        {
            TryEject(endpoint, "consecutive_5xx");
        }
        else if (_config.ConsecutiveGatewayFailures > 0 && gateway >= _config.ConsecutiveGatewayFailures)
        {
            TryEject(endpoint, "consecutive_gateway_failure");
        }
    }

    /// <summary>One interval: statistics-based ejections, then counters reset and ejection multipliers decay.</summary>
    public void Evaluate()
    {
        var now = Now;
        if (_config.SuccessRate is { } sr)
        {
            EvaluateSuccessRate(sr);
        }

        if (_config.Latency is { } latency)
        {
            EvaluateLatency(latency);
        }

        foreach (var e in _endpoints)
        {
            e.Interval.Reset();
            if (!e.IsEjected(now) && e.EjectedUntil != 0)
            {
                // Back after an ejection (the multiplier decays one step per calm interval after this): forget the failures that led to it, so one more error does not re-eject.
                e.Uneject();
                Volatile.Write(ref e.ConsecutiveServerErrors, 0);
                Volatile.Write(ref e.ConsecutiveGatewayFailures, 0);
            }
            else if (!e.IsEjected(now) && e.EjectionCount > 0)
            {
                Interlocked.Decrement(ref e.EjectionCount);
            }
        }
    }

    private void EvaluateSuccessRate(SuccessRateOutlierConfig sr)
    {
        var judged = _endpoints.Where(e => e.Interval.Requests >= sr.MinRequests).ToArray();
        if (judged.Length < sr.MinEndpoints)
        {
            return;
        }

        var rates = judged.Select(e => 1.0 - ((double)e.Interval.Failures / e.Interval.Requests)).ToArray();
        var mean = rates.Average();
        var stdev = Math.Sqrt(rates.Sum(r => (r - mean) * (r - mean)) / rates.Length);
        var threshold = mean - (sr.StdevFactor * stdev);
        for (var i = 0; i < judged.Length; i++)
        {
            if (rates[i] < threshold)
            {
                TryEject(judged[i], "success_rate");
            }
        }
    }

    private void EvaluateLatency(LatencyOutlierConfig config)
    {
        var judged = _endpoints.Where(e => e.Interval.Latency.Count >= config.MinRequests).ToArray();
        if (judged.Length < config.MinEndpoints)
        {
            return;
        }

        var latencies = judged.Select(e => e.Interval.Latency.Percentile(config.Percentile)).ToArray();
        for (var i = 0; i < judged.Length; i++)
        {
            var siblings = latencies.Where((_, j) => j != i).Order().ToArray();
            var median = siblings.Length % 2 == 1
                ? siblings[siblings.Length / 2]
                : (siblings[(siblings.Length / 2) - 1] + siblings[siblings.Length / 2]) / 2;
            if (latencies[i] > config.Factor * median && latencies[i] > config.MinLatency.TotalMilliseconds)
            {
                TryEject(judged[i], "latency");
            }
        }
    }

    /// <summary>Ejects unless the max-ejected-percent guard says no. Returns whether the endpoint is now ejected.</summary>
    internal bool TryEject(EndpointState endpoint, string reason)
    {
        lock (_ejectLock)
        {
            var now = Now;
            if (endpoint.IsEjected(now))
            {
                return true;
            }

            var ejected = _endpoints.Count(e => e.IsEjected(now));
            var allowed = Math.Max(1, (int)Math.Floor(_endpoints.Length * _config.MaxEjectedPercent / 100.0));
            if (ejected + 1 > allowed)
            {
                _counters.EjectionsSkipped.Increment();
                return false;
            }

            var count = Interlocked.Increment(ref endpoint.EjectionCount);
            var duration = TimeSpan.FromTicks(Math.Min(_config.BaseEjectionTime.Ticks * count, _config.MaxEjectionTime.Ticks));
            endpoint.Eject(now + duration.Ticks);
            _counters.Ejection(endpoint.Cluster, reason);
            return true;
        }
    }

    private long Now => _time.GetUtcNow().UtcTicks;
}
