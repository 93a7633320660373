namespace Mesh.Core.Telemetry;

/// <summary>A time-stamped annotation on a span (OTLP <c>Span.Event</c>).</summary>
public sealed record SpanEvent
{
    public long TimeUnixNano { get; init; }

    public string Name { get; init; } = string.Empty;

    public IReadOnlyList<KeyValue> Attributes { get; init; } = [];

    public uint DroppedAttributesCount { get; init; }

    public bool Equals(SpanEvent? other) =>
        other is not null
        && TimeUnixNano == other.TimeUnixNano
        && Name == other.Name
        && DroppedAttributesCount == other.DroppedAttributesCount
        && Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(TimeUnixNano, Name);
}
