namespace Mesh.Core.Telemetry;

/// <summary>One OTLP log record with its resource and scope.</summary>
public sealed record LogRecord
{
    /// <summary>
    /// A stable id assigned at ingest (from the record's position in the spool), so that a replayed
    /// record is recognised as the same record and stored once. Logs have no natural key in OTLP.
    /// </summary>
    public required ulong LogId { get; init; }

    public long TimeUnixNano { get; init; }

    public long ObservedTimeUnixNano { get; init; }

    public int SeverityNumber { get; init; }

    public string SeverityText { get; init; } = string.Empty;

    public AnyValue Body { get; init; } = AnyValue.Empty;

    public string EventName { get; init; } = string.Empty;

    public IReadOnlyList<KeyValue> Attributes { get; init; } = [];

    public uint DroppedAttributesCount { get; init; }

    public uint Flags { get; init; }

    public TraceId TraceId { get; init; }

    public SpanId SpanId { get; init; }

    public Resource Resource { get; init; } = Resource.Empty;

    public InstrumentationScope Scope { get; init; } = InstrumentationScope.Empty;

    public string ServiceName => Resource.ServiceName;

    /// <summary>The time to sort and filter by: the event time, or the observed time when the event time is unknown.</summary>
    public long EffectiveTimeUnixNano => TimeUnixNano != 0 ? TimeUnixNano : ObservedTimeUnixNano;

    public bool Equals(LogRecord? other) =>
        other is not null
        && LogId == other.LogId
        && TimeUnixNano == other.TimeUnixNano
        && ObservedTimeUnixNano == other.ObservedTimeUnixNano
        && SeverityNumber == other.SeverityNumber
        && SeverityText == other.SeverityText
        && Body.Equals(other.Body)
        && EventName == other.EventName
        && DroppedAttributesCount == other.DroppedAttributesCount
        && Flags == other.Flags
        && TraceId == other.TraceId
        && SpanId == other.SpanId
        && Resource.Equals(other.Resource)
        && Scope.Equals(other.Scope)
        && Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(LogId);
}
