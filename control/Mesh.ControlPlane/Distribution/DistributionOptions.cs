namespace Mesh.ControlPlane.Distribution;

/// <summary>What every proxy snapshot carries besides the config: where to send telemetry, and the mesh trust domain.</summary>
public sealed record DistributionOptions
{
    /// <summary>OTLP/HTTP base URL proxies export spans and access logs to; null leaves export off.</summary>
    public Uri? OtlpEndpoint { get; init; }

    public string? OtlpToken { get; init; }

    public string TrustDomain { get; init; } = "mesh.local";

    /// <summary>Interval of keep-alive pings on idle watch streams.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(15);
}
