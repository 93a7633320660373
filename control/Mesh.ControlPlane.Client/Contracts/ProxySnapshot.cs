using System.Text.Json;

namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>
/// One versioned push to one proxy. <see cref="Config"/> is the proxy's <c>Mesh.Proxy.Config.ProxyConfig</c> in
/// its JSON form (read it with <c>ProxyConfigSerializer.FromJson</c>); authorization and mTLS settings travel
/// beside it until the proxy config model carries them.
/// </summary>
public sealed record ProxySnapshot(
    long Version,
    long ConfigRevision,
    JsonElement Config,
    AuthorizationView Authorization,
    MtlsView Mtls);
