using Mesh.Proxy.Config;
using Mesh.Proxy.Configuration;

namespace Mesh.Proxy.ControlPlane;

/// <summary>The control plane's feed as a config source: each snapshot the watch delivers is published here and reloaded.</summary>
internal sealed class ControlPlaneConfigSource : IProxyConfigSource
{
    private volatile ProxyConfig? _config;

    public event Action? Changed;

    public ProxyConfig Load() => _config ?? throw new ProxyConfigException("no snapshot has arrived from the control plane yet");

    /// <summary>Publishes a snapshot; the proxy reloads it synchronously, on this thread.</summary>
    public void Publish(ProxyConfig config)
    {
        _config = config;
        Changed?.Invoke();
    }

    public void Dispose()
    {
    }
}
