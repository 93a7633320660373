namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>
/// Who is watching: the proxy's id, the service it sits beside, and its own ports (the control plane builds
/// the proxy's listeners from them). Sent as query parameters of the watch.
/// </summary>
public sealed record ProxyNode
{
    public required string Id { get; init; }

    public required string Namespace { get; init; }

    public required string Service { get; init; }

    public string? Version { get; init; }

    /// <summary>Port receiving traffic for the local service (0: none).</summary>
    public int InboundPort { get; init; }

    /// <summary>Port the local app sends its outbound calls to (0: none).</summary>
    public int OutboundPort { get; init; }

    public string AppAddress { get; init; } = "127.0.0.1";

    /// <summary>The local app's own port, where inbound traffic is forwarded (0: none).</summary>
    public int AppPort { get; init; }
}
