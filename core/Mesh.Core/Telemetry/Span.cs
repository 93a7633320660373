namespace Mesh.Core.Telemetry;

/// <summary>
/// One span with everything OTLP carries for it, including its resource and scope,
/// so that a store can keep a span as a self-contained row.
/// </summary>
public sealed record Span
{
    public required TraceId TraceId { get; init; }

    public required SpanId SpanId { get; init; }

    public SpanId ParentSpanId { get; init; }

    public string TraceState { get; init; } = string.Empty;

    public uint Flags { get; init; }

    public string Name { get; init; } = string.Empty;

    public SpanKind Kind { get; init; }

    public long StartTimeUnixNano { get; init; }

    public long EndTimeUnixNano { get; init; }

    public StatusCode StatusCode { get; init; }

    public string StatusMessage { get; init; } = string.Empty;

    public Resource Resource { get; init; } = Resource.Empty;

    public InstrumentationScope Scope { get; init; } = InstrumentationScope.Empty;

    public IReadOnlyList<KeyValue> Attributes { get; init; } = [];

    public uint DroppedAttributesCount { get; init; }

    public IReadOnlyList<SpanEvent> Events { get; init; } = [];

    public uint DroppedEventsCount { get; init; }

    public IReadOnlyList<SpanLink> Links { get; init; } = [];

    public uint DroppedLinksCount { get; init; }

    public string ServiceName => Resource.ServiceName;

    /// <summary>End minus start, never negative (clients with skewed clocks send end &lt; start).</summary>
    public long DurationNanos => Math.Max(0, EndTimeUnixNano - StartTimeUnixNano);

    public bool Equals(Span? other) =>
        other is not null
        && TraceId == other.TraceId
        && SpanId == other.SpanId
        && ParentSpanId == other.ParentSpanId
        && TraceState == other.TraceState
        && Flags == other.Flags
        && Name == other.Name
        && Kind == other.Kind
        && StartTimeUnixNano == other.StartTimeUnixNano
        && EndTimeUnixNano == other.EndTimeUnixNano
        && StatusCode == other.StatusCode
        && StatusMessage == other.StatusMessage
        && Resource.Equals(other.Resource)
        && Scope.Equals(other.Scope)
        && DroppedAttributesCount == other.DroppedAttributesCount
        && DroppedEventsCount == other.DroppedEventsCount
        && DroppedLinksCount == other.DroppedLinksCount
        && Attributes.SequenceEqual(other.Attributes)
        && Events.SequenceEqual(other.Events)
        && Links.SequenceEqual(other.Links);

    public override int GetHashCode() => HashCode.Combine(TraceId, SpanId);
}
