namespace Mesh.Proxy.ControlPlane;

/// <summary>What <c>mesh proxy --control-plane</c> is told: where the control plane is, who the proxy speaks for, its ports.</summary>
public sealed record SidecarOptions
{
    public required Uri ControlPlane { get; init; }

    /// <summary>Bearer token with the <c>proxy</c> role (or higher).</summary>
    public required string Token { get; init; }

    public required string Namespace { get; init; }

    public required string Service { get; init; }

    public string? Version { get; init; }

    /// <summary>Where mesh traffic for the local service arrives (mTLS per the namespace's mode); registered as the endpoint.</summary>
    public required int InboundPort { get; init; }

    /// <summary>The local app's own port, where inbound requests go.</summary>
    public required int AppPort { get; init; }

    /// <summary>Port the local app sends its outbound calls to (0: none).</summary>
    public int OutboundPort { get; init; }

    public int AdminPort { get; init; }

    /// <summary>Address the listeners bind and the endpoint is registered with.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>
    /// Address (IP or host name) other proxies reach the inbound listener at, registered as the endpoint; null registers
    /// <see cref="Address"/> (127.0.0.1 when that is a wildcard). A container binding 0.0.0.0 gives its own name here.
    /// </summary>
    public string? AdvertiseAddress { get; init; }

    /// <summary>Address of the local app.</summary>
    public string AppAddress { get; init; } = "127.0.0.1";

    /// <summary>Lifetime asked of the CA (null: the CA's default, 24 h); rotated at two thirds of it.</summary>
    public TimeSpan? CertificateTtl { get; init; }

    /// <summary>Lease of the registered endpoint, renewed at a third of it.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Defaults to <c>service-version-hostname-pid</c>.</summary>
    public string? ProxyId { get; init; }
}
