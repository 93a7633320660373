using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Mesh.Proxy.Runtime;

namespace Mesh.Proxy.Resilience;

/// <summary>
/// Active health checks: GET the path on every endpoint each interval through the cluster's own pool; an endpoint
/// goes down after UnhealthyThreshold failures in a row and comes back after HealthyThreshold successes.
/// Complements outlier detection, which only learns from traffic that arrives.
/// </summary>
internal sealed class HealthChecker : IDisposable
{
    private readonly HealthCheckConfig _config;
    private readonly EndpointState[] _endpoints;
    private readonly Forwarding.UpstreamPool _pool;
    private readonly TimeProvider _time;
    private readonly ProxyCounters _counters;
    private readonly int[] _successes;
    private readonly int[] _failures;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _stop = new();
    private int _running;

    public HealthChecker(HealthCheckConfig config, EndpointState[] endpoints, Forwarding.UpstreamPool pool, TimeProvider time, ProxyCounters counters)
    {
        _config = config;
        _endpoints = endpoints;
        _pool = pool;
        _time = time;
        _counters = counters;
        _successes = new int[endpoints.Length];
        _failures = new int[endpoints.Length];
        _timer = time.CreateTimer(_ => _ = CheckAllAsync(), null, TimeSpan.Zero, config.Interval);
    }

    public async Task CheckAllAsync()
    {
        // One round at a time: a slow round is not stacked on by the next tick.
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_endpoints.Select((e, i) => CheckAsync(e, i))).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task CheckAsync(EndpointState endpoint, int index)
    {
        bool ok;
        try
        {
            using var timeout = new CancellationTokenSource(_config.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint.BaseUri, _config.Path));
            using var response = await _pool.Invoker.SendAsync(request, linked.Token).ConfigureAwait(false);
            ok = (int)response.StatusCode is >= 200 and < 300;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            ok = false;
        }

        if (_stop.IsCancellationRequested)
        {
            return;
        }

        if (ok)
        {
            _failures[index] = 0;
            if (++_successes[index] >= _config.HealthyThreshold)
            {
                endpoint.ActiveHealthy = true;
            }
        }
        else
        {
            _counters.HealthCheckFailures.Increment();
            _successes[index] = 0;
            if (++_failures[index] >= _config.UnhealthyThreshold)
            {
                endpoint.ActiveHealthy = false;
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _stop.Cancel();
        _stop.Dispose();
    }
}
