namespace Mesh.Otlp.Wire;

/// <summary>
/// One OTLP span read straight from its protobuf bytes: the scalar fields decoded, ids and strings as slices of
/// the request (strings are raw UTF-8, possibly invalid: see <see cref="WireText"/>), and the repeated fields
/// (attributes, events, links) left in <see cref="Message"/> for <see cref="WireJson"/> to read on demand.
/// Valid only during the <see cref="IWireSpanVisitor.OnSpan"/> call that receives it.
/// </summary>
public ref struct WireSpan
{
    /// <summary>The whole span message.</summary>
    public ReadOnlySpan<byte> Message { get; internal set; }

    /// <summary>16 bytes.</summary>
    public ReadOnlySpan<byte> TraceId { get; internal set; }

    /// <summary>8 bytes.</summary>
    public ReadOnlySpan<byte> SpanId { get; internal set; }

    /// <summary>8 bytes, or empty for a root span (absent or all zero on the wire).</summary>
    public ReadOnlySpan<byte> ParentSpanId { get; internal set; }

    public ReadOnlySpan<byte> TraceState { get; internal set; }

    public ReadOnlySpan<byte> Name { get; internal set; }

    public int Kind { get; internal set; }

    /// <summary>Unix nanoseconds; OTLP's unsigned value clamped to <see cref="long.MaxValue"/>, as the model does.</summary>
    public long StartTimeUnixNano { get; internal set; }

    public long EndTimeUnixNano { get; internal set; }

    public readonly long DurationNanos => Math.Max(0, EndTimeUnixNano - StartTimeUnixNano);

    public uint Flags { get; internal set; }

    public int StatusCode { get; internal set; }

    public ReadOnlySpan<byte> StatusMessage { get; internal set; }

    public int AttributeCount { get; internal set; }

    public uint DroppedAttributesCount { get; internal set; }

    public int EventCount { get; internal set; }

    public uint DroppedEventsCount { get; internal set; }

    public int LinkCount { get; internal set; }

    public uint DroppedLinksCount { get; internal set; }
}

/// <summary>
/// Receives what <see cref="OtlpTraceWire.TryWalk"/> finds, in request order: each resource before its scopes,
/// each scope before its spans. A resource or scope absent on the wire arrives as an empty message.
/// </summary>
public interface IWireSpanVisitor
{
    /// <param name="resource">The <c>Resource</c> message: attributes (field 1), dropped_attributes_count (2).</param>
    void OnResource(ReadOnlySpan<byte> resource, ReadOnlySpan<byte> schemaUrl);

    /// <param name="scope">The <c>InstrumentationScope</c> message: name (1), version (2), attributes (3), dropped_attributes_count (4).</param>
    void OnScope(ReadOnlySpan<byte> scope, ReadOnlySpan<byte> schemaUrl);

    void OnSpan(scoped in WireSpan span);
}
