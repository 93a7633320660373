using Mesh.Proxy.Config;

namespace Mesh.Proxy.Runtime;

/// <summary>
/// Everything a request needs, built once per config version and never mutated: requests take the snapshot
/// current when they arrive and keep it, so a reload never changes a request half-way.
/// </summary>
internal sealed class RuntimeSnapshot
{
    public RuntimeSnapshot(ProxyConfig config, IReadOnlyDictionary<string, ClusterState> clusters, IReadOnlyDictionary<string, CompiledRoute[]> routesByListener)
    {
        Config = config;
        Clusters = clusters;
        RoutesByListener = routesByListener;
    }

    public ProxyConfig Config { get; }

    public IReadOnlyDictionary<string, ClusterState> Clusters { get; }

    /// <summary>Routes per listener name, in match order.</summary>
    public IReadOnlyDictionary<string, CompiledRoute[]> RoutesByListener { get; }
}
