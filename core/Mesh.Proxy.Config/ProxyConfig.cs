namespace Mesh.Proxy.Config;

/// <summary>
/// One complete, immutable proxy configuration snapshot. A static file and the control plane's feed both
/// produce this same record; the proxy swaps whole snapshots atomically and never mutates one.
/// </summary>
public sealed record ProxyConfig
{
    /// <summary>Snapshot version: set by the control plane on every push; a file snapshot may leave it empty.</summary>
    public string Version { get; init; } = "";

    /// <summary>The service this proxy sits beside (or the gateway's own name for an ingress).</summary>
    public ServiceIdentity Service { get; init; } = new();

    public IReadOnlyList<ListenerConfig> Listeners { get; init; } = [];

    /// <summary>Routes in match order: the first route whose match holds wins.</summary>
    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];

    public IReadOnlyList<ClusterConfig> Clusters { get; init; } = [];

    public TelemetryConfig Telemetry { get; init; } = new();

    /// <summary>Policies enforced on inbound listeners (null: allow everything).</summary>
    public AuthorizationConfig? Authorization { get; init; }

    /// <summary>Mesh mTLS: the inbound mode and where the workload certificate comes from (null: no mesh mTLS).</summary>
    public MtlsConfig? Mtls { get; init; }

    public AdminConfig? Admin { get; init; }
}
