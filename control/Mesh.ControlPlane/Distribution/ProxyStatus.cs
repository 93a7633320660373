namespace Mesh.ControlPlane.Distribution;

/// <summary>Mutable per-proxy bookkeeping, guarded by the hub's lock.</summary>
internal sealed class ProxyStatus(string id, string ns, string service)
{
    public string Id { get; } = id;

    public string Namespace { get; set; } = ns;

    public string Service { get; set; } = service;

    public int Connections { get; set; }

    public long SentVersion { get; set; }

    public long AckedVersion { get; set; }

    public long NackedVersion { get; set; }

    public string? NackError { get; set; }

    public DateTimeOffset LastSeen { get; set; }
}
