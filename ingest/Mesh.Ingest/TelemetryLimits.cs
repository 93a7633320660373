namespace Mesh.Ingest;

/// <summary>
/// Caps applied to every span and log record, as the OpenTelemetry SDK's span limits do: extra attributes,
/// events and links are dropped and counted in the item's dropped counters; long values are truncated.
/// </summary>
public sealed record TelemetryLimits
{
    public int MaxAttributes { get; init; } = 128;

    /// <summary>Longest string value (UTF-16 code units) or bytes value (bytes) kept; arrays apply it per element.</summary>
    public int MaxValueLength { get; init; } = 16 * 1024;

    public int MaxEventsPerSpan { get; init; } = 128;

    public int MaxLinksPerSpan { get; init; } = 128;
}
