using Mesh.Proxy.Config;

namespace Mesh.Proxy.Configuration;

/// <summary>
/// Where snapshots come from: a static file now, the control plane's feed later. Contract: <see cref="Load"/>
/// returns the current validated snapshot or throws <see cref="ProxyConfigException"/>; <see cref="Changed"/>
/// fires (on any thread) when a newer one may be available. A failed reload keeps the previous snapshot.
/// </summary>
public interface IProxyConfigSource : IDisposable
{
    ProxyConfig Load();

    event Action? Changed;
}
