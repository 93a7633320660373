namespace Mesh.Core.Storage;

/// <summary>
/// Criteria for a trace search. A trace matches when one of its spans meets every criterion given
/// (as in Jaeger): its service, name, duration, status, and attributes (span or resource) all match,
/// and it starts in [<see cref="StartUnixNano"/>, <see cref="EndUnixNano"/>).
/// </summary>
public sealed record TraceQuery
{
    public const int MaxLimit = 1000;

    public string? Service { get; init; }

    public string? Operation { get; init; }

    public long? MinDurationNanos { get; init; }

    public long? MaxDurationNanos { get; init; }

    public TraceStatusFilter Status { get; init; }

    public required long StartUnixNano { get; init; }

    public required long EndUnixNano { get; init; }

    public int Limit { get; init; } = 20;

    /// <summary>Attribute equality criteria, compared on the value's display text (<see cref="Telemetry.AnyValue.ToDisplayString"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];
}
