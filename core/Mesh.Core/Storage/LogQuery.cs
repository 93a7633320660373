using Mesh.Core.Telemetry;

namespace Mesh.Core.Storage;

/// <summary>Criteria for a log search; every criterion given must hold.</summary>
public sealed record LogQuery
{
    public const int MaxLimit = 1000;

    public string? Service { get; init; }

    /// <summary>Lowest OTLP severity number to return (1 TRACE … 9 INFO … 17 ERROR … 24 FATAL4).</summary>
    public int? MinSeverityNumber { get; init; }

    /// <summary>Case-sensitive substring of the body's display text.</summary>
    public string? Contains { get; init; }

    public TraceId? TraceId { get; init; }

    public required long StartUnixNano { get; init; }

    public required long EndUnixNano { get; init; }

    public int Limit { get; init; } = 100;
}
