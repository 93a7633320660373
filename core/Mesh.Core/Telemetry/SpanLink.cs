namespace Mesh.Core.Telemetry;

/// <summary>A pointer from a span to a span of another (or the same) trace (OTLP <c>Span.Link</c>).</summary>
public sealed record SpanLink
{
    public TraceId TraceId { get; init; }

    public SpanId SpanId { get; init; }

    public string TraceState { get; init; } = string.Empty;

    public uint Flags { get; init; }

    public IReadOnlyList<KeyValue> Attributes { get; init; } = [];

    public uint DroppedAttributesCount { get; init; }

    public bool Equals(SpanLink? other) =>
        other is not null
        && TraceId == other.TraceId
        && SpanId == other.SpanId
        && TraceState == other.TraceState
        && Flags == other.Flags
        && DroppedAttributesCount == other.DroppedAttributesCount
        && Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(TraceId, SpanId);
}
