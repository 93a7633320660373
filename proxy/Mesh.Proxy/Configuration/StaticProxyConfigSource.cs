using Mesh.Proxy.Config;

namespace Mesh.Proxy.Configuration;

/// <summary>A fixed snapshot (tests, embedding); <see cref="Update"/> publishes a new one as a feed would.</summary>
public sealed class StaticProxyConfigSource : IProxyConfigSource
{
    private volatile ProxyConfig _config;

    public StaticProxyConfigSource(ProxyConfig config) => _config = config;

    public event Action? Changed;

    public ProxyConfig Load() => _config;

    public void Update(ProxyConfig config)
    {
        _config = config;
        Changed?.Invoke();
    }

    public void Dispose()
    {
    }
}
