namespace Mesh.Proxy.Config;

/// <summary>A set of interchangeable upstream endpoints and how to spread and protect requests across them.</summary>
public sealed record ClusterConfig
{
    public string Name { get; init; } = "";

    /// <summary>Destination service name in telemetry; defaults to the cluster name.</summary>
    public string? Service { get; init; }

    public string? Namespace { get; init; }

    public IReadOnlyList<EndpointConfig> Endpoints { get; init; } = [];

    public LoadBalancerPolicy LoadBalancer { get; init; } = LoadBalancerPolicy.PeakEwma;

    /// <summary>Protocol toward the endpoints: Http1, or Http2 (h2c without TLS). Auto follows the downstream request.</summary>
    public HttpProtocol Protocol { get; init; } = HttpProtocol.Auto;

    public TlsConfig? Tls { get; init; }

    /// <summary>
    /// SPIFFE id the endpoints must prove: the cluster originates mesh mTLS with the proxy's own certificate and
    /// refuses a server whose certificate does not chain to the mesh root or names another identity.
    /// </summary>
    public string? Identity { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Idle pooled connections are closed after this long.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public CircuitBreakerConfig CircuitBreaker { get; init; } = new();

    public OutlierDetectionConfig? OutlierDetection { get; init; }

    public HealthCheckConfig? HealthCheck { get; init; }
}
