using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.LoadBalancing;
using Mesh.Proxy.Resilience;

namespace Mesh.Proxy.Runtime;

/// <summary>
/// A cluster's live machinery: endpoints, connection pool, breaker, outlier detector, health checker.
/// Kept across snapshots while its config is unchanged; a changed cluster gets a new one that reuses the
/// endpoints' learned state.
/// </summary>
internal sealed class ClusterState : IDisposable
{
    private readonly Dictionary<string, Destination> _subsets = new(StringComparer.Ordinal);
    private readonly Func<ILoadBalancer> _newBalancer;
    private readonly ITimer? _outlierTimer;

    public ClusterState(ClusterConfig config, string configJson, EndpointState[] endpoints, UpstreamPool pool, ProxyEnvironment env, ProxyCounters counters)
    {
        Config = config;
        ConfigJson = configJson;
        Endpoints = endpoints;
        Pool = pool;
        Breaker = new CircuitBreaker(config.CircuitBreaker, env.Time);
        _newBalancer = config.LoadBalancer switch
        {
            LoadBalancerPolicy.RoundRobin => () => new RoundRobinBalancer(),
            LoadBalancerPolicy.LeastRequest => () => new PowerOfTwoBalancer(env.Random, latencyAware: false),
            _ => () => new PowerOfTwoBalancer(env.Random, latencyAware: true),
        };
        if (config.OutlierDetection is { } od)
        {
            Outliers = new OutlierDetector(od, endpoints, env.Time, counters);
            _outlierTimer = env.Time.CreateTimer(_ => Outliers.Evaluate(), null, od.Interval, od.Interval);
        }

        if (config.HealthCheck is { } hc)
        {
            HealthChecker = new HealthChecker(hc, endpoints, pool, env.Time, counters);
        }
    }

    public ClusterConfig Config { get; }

    public string Name => Config.Name;

    /// <summary>Destination service name in telemetry.</summary>
    public string Service => Config.Service ?? Config.Name;

    /// <summary>The config as JSON: how a reload tells an unchanged cluster from a changed one.</summary>
    public string ConfigJson { get; }

    public EndpointState[] Endpoints { get; }

    /// <summary>The connection pool; kept across reloads while its connection settings are the same.</summary>
    public UpstreamPool Pool { get; }

    /// <summary>The handler for a new request (it changes when a mesh-mTLS pool renews after rotation).</summary>
    public HttpMessageInvoker Invoker => Pool.Invoker;

    public CircuitBreaker Breaker { get; }

    public OutlierDetector? Outliers { get; }

    public HealthChecker? HealthChecker { get; }

    /// <summary>The destination for a subset (null: every endpoint), with a balancer of its own.</summary>
    public Destination Subset(string? version, int weight)
    {
        var key = version ?? "";
        lock (_subsets)
        {
            if (!_subsets.TryGetValue(key, out var d))
            {
                var members = version is null ? Endpoints : [.. Endpoints.Where(e => string.Equals(e.Config.Version, version, StringComparison.Ordinal))];
                d = new Destination(this, version, members, _newBalancer(), 100);
                _subsets[key] = d;
            }

            return d with { Weight = weight };
        }
    }

    public void Dispose()
    {
        _outlierTimer?.Dispose();
        HealthChecker?.Dispose();
        Breaker.Dispose();
    }
}
