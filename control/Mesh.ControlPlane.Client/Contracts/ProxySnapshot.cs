using System.Text.Json;

namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>
/// One versioned push to one proxy. <see cref="Config"/> is the proxy's <c>Mesh.Proxy.Config.ProxyConfig</c> in
/// its JSON form (read it with <c>ProxyConfigSerializer.FromJson</c>), including its authorization policies and
/// mTLS mode; <see cref="Authorization"/> and <see cref="Mtls"/> repeat them for watchers that only read those.
/// </summary>
public sealed record ProxySnapshot(
    long Version,
    long ConfigRevision,
    JsonElement Config,
    AuthorizationView Authorization,
    MtlsView Mtls);
