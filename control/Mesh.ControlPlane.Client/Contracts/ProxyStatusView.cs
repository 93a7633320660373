namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>What the control plane knows of one proxy's config: last pushed, ACKed and NACKed versions (with the error).</summary>
public sealed record ProxyStatusView(
    string Id,
    string Namespace,
    string Service,
    bool Connected,
    long SentVersion,
    long AckedVersion,
    long NackedVersion,
    string? NackError,
    DateTimeOffset LastSeen);
