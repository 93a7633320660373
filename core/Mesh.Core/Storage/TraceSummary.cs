using Mesh.Core.Telemetry;

namespace Mesh.Core.Storage;

/// <summary>One trace in a search result. The root is the span without a parent, else the earliest span.</summary>
public sealed record TraceSummary
{
    public required TraceId TraceId { get; init; }

    public required string RootService { get; init; }

    public required string RootOperation { get; init; }

    public required long StartUnixNano { get; init; }

    public required long DurationNanos { get; init; }

    public required int SpanCount { get; init; }

    public required int ErrorCount { get; init; }

    /// <summary>Distinct services with spans in the trace, sorted.</summary>
    public required IReadOnlyList<string> Services { get; init; }
}
