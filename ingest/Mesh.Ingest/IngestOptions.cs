namespace Mesh.Ingest;

/// <summary>Settings of the OTLP receivers, bound from flags, environment and the config file.</summary>
public sealed record IngestOptions
{
    /// <summary>Largest accepted request body after decompression (a gzip bomb is stopped while inflating).</summary>
    public int MaxRequestBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Bearer tokens accepted on the OTLP ports. Empty means every request is refused.</summary>
    public IReadOnlyList<string> Tokens { get; init; } = [];

    public TelemetryLimits Limits { get; init; } = new();
}
