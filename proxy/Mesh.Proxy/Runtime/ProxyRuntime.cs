using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Identity;

namespace Mesh.Proxy.Runtime;

/// <summary>
/// Owns the current <see cref="RuntimeSnapshot"/> and swaps it atomically (one volatile write) when a new config
/// arrives. Unchanged clusters are carried over whole (pools, breakers, learned latency); changed ones reuse
/// their endpoints' state; removed ones are retired after in-flight requests had time to finish.
/// </summary>
internal sealed class ProxyRuntime : IDisposable
{
    private static readonly TimeSpan RetireAfter = TimeSpan.FromSeconds(60);
    private readonly ProxyEnvironment _env;
    private readonly ProxyCounters _counters;
    private readonly Lock _applyLock = new();
    private volatile RuntimeSnapshot? _current;

    private readonly WorkloadIdentity? _identity;

    public ProxyRuntime(ProxyEnvironment env, ProxyCounters counters, WorkloadIdentity? identity = null)
    {
        _env = env;
        _counters = counters;
        _identity = identity;
        if (identity is not null)
        {
            identity.Rotated += OnRotated;
        }
    }

    public RuntimeSnapshot? Current => _current;

    public ProxyEnvironment Environment => _env;

    /// <summary>Builds and publishes a snapshot for a validated config. Serialized: one reload at a time.</summary>
    public RuntimeSnapshot Apply(ProxyConfig config)
    {
        lock (_applyLock)
        {
            var previous = _current;
            var clusters = new Dictionary<string, ClusterState>(StringComparer.Ordinal);
            foreach (var c in config.Clusters)
            {
                clusters[c.Name] = BuildCluster(c, previous?.Clusters.GetValueOrDefault(c.Name));
            }

            var routes = new Dictionary<string, CompiledRoute[]>(StringComparer.Ordinal);
            foreach (var listener in config.Listeners)
            {
                routes[listener.Name] = [.. config.Routes
                    .Where(r => r.Listeners.Count == 0 || r.Listeners.Contains(listener.Name, StringComparer.Ordinal))
                    .Select(r => Compile(r, clusters))];
            }

            var snapshot = new RuntimeSnapshot(config, clusters, routes);
            _current = snapshot;
            if (previous is not null)
            {
                Retire(previous, clusters);
            }

            return snapshot;
        }
    }

    private CompiledRoute Compile(RouteConfig route, Dictionary<string, ClusterState> clusters)
    {
        Destination[] destinations = route.Cluster is { } single
            ? [clusters[single].Subset(null, 100)]
            : [.. route.Split.Select(d => clusters[d.Cluster].Subset(d.Subset, d.Weight))];
        var mirror = route.Mirror is { } m ? clusters[m.Cluster] : null;
        return new CompiledRoute(route, destinations, mirror, _env.Time);
    }

    private ClusterState BuildCluster(ClusterConfig config, ClusterState? previous)
    {
        var json = ProxyConfigSerializer.ToJson(new ProxyConfig { Clusters = [config] });
        if (previous is not null && previous.ConfigJson == json)
        {
            return previous;
        }

        var known = previous?.Endpoints.ToDictionary(e => e.Key, StringComparer.Ordinal) ?? [];
        var endpoints = config.Endpoints.Select(e =>
        {
            var state = known.GetValueOrDefault($"{e.Address}:{e.Port}") ?? new EndpointState(config.Name, e);
            state.Config = e;
            return state;
        }).ToArray();
        var pool = previous is not null && previous.Pool.Key == UpstreamPool.KeyOf(config) ? previous.Pool : new UpstreamPool(config, _identity, _env.Time, _counters);
        return new ClusterState(config, json, endpoints, pool, _env, _counters);
    }

    private static void Retire(RuntimeSnapshot previous, Dictionary<string, ClusterState> kept)
    {
        var keptSet = kept.Values.ToHashSet();
        foreach (var old in previous.Clusters.Values.Where(c => !keptSet.Contains(c)))
        {
            // Timers stop now; the pool closes later, unless the replacement took it over.
            old.Dispose();
            if (!kept.Values.Any(c => ReferenceEquals(c.Pool, old.Pool)))
            {
                old.Pool.Retire(RetireAfter);
            }
        }
    }

    /// <summary>
    /// A new workload certificate: every mesh-mTLS pool in force gets a fresh handler, so the next connections (the
    /// only ones new requests use) present it; the old connections finish what they carry and close.
    /// </summary>
    private void OnRotated(WorkloadCertificate _)
    {
        lock (_applyLock)
        {
            foreach (var pool in (_current?.Clusters.Values ?? []).Select(c => c.Pool).Where(p => p.UsesWorkloadCertificate).Distinct())
            {
                pool.Renew();
            }
        }
    }

    public void Dispose()
    {
        if (_identity is not null)
        {
            _identity.Rotated -= OnRotated;
        }

        foreach (var c in _current?.Clusters.Values ?? [])
        {
            c.Dispose();
            c.Pool.Dispose();
        }
    }
}
