namespace Mesh.Proxy.Config;

/// <summary>Where and how the proxy exports its per-request spans and access logs (OTLP/HTTP protobuf).</summary>
public sealed record TelemetryConfig
{
    /// <summary>OTLP/HTTP base URL (e.g. http://127.0.0.1:4318); null disables export.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Bearer token the ingest expects.</summary>
    public string? Token { get; init; }

    /// <summary>Head sampling probability 0-1 for traces the proxy starts; a sampled parent is always followed.</summary>
    public double Sampling { get; init; } = 1.0;

    /// <summary>Emit spans (off leaves only metrics and access logs if enabled).</summary>
    public bool Spans { get; init; } = true;

    public bool AccessLogs { get; init; } = true;

    /// <summary>Records held while the exporter is behind; past it new records are dropped and counted.</summary>
    public int QueueCapacity { get; init; } = 8192;

    public int BatchSize { get; init; } = 512;

    public TimeSpan ExportInterval { get; init; } = TimeSpan.FromSeconds(1);
}
