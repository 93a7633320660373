namespace Mesh.Demo.Hosting;

/// <summary>What one demo service process was started with (an immutable snapshot of its command line).</summary>
internal sealed record DemoServiceOptions
{
    public required string Name { get; init; }

    public string Version { get; init; } = "v1";

    public string ListenAddress { get; init; } = "127.0.0.1";

    public int Port { get; init; }

    /// <summary>The outbound sidecar: every call to another service goes here, with the target's name as Host.</summary>
    public Uri? Upstream { get; init; }

    /// <summary>OTLP/HTTP endpoint for the service's own spans; null keeps the SDK off.</summary>
    public Uri? Otlp { get; init; }

    /// <summary>Extra OTLP headers in the OTEL_EXPORTER_OTLP_HEADERS form (<c>k=v,k2=v2</c>).</summary>
    public string? OtlpHeaders { get; init; }

    /// <summary>Where a stateful service (inventory) keeps its files.</summary>
    public string DataDir { get; init; } = "demo-data";

    /// <summary>Scales the simulated work per endpoint (0 = none, for fast tests; 1 = realistic).</summary>
    public double LatencyScale { get; init; } = 1.0;
}
