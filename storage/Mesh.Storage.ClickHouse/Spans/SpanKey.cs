using Mesh.Core.Telemetry;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>What identifies a stored span: (trace id, span id).</summary>
internal readonly record struct SpanKey(TraceId TraceId, SpanId SpanId)
{
    public static SpanKey Of(Span span) => new(span.TraceId, span.SpanId);
}
