using Mesh.Core.Telemetry;

namespace Mesh.Core.Facts;

/// <summary>The span's own fields that rollups and client/server pairing read.</summary>
public readonly record struct SpanFields(
    TraceId TraceId,
    SpanId SpanId,
    SpanId ParentSpanId,
    SpanKind Kind,
    string Name,
    long StartTimeUnixNano,
    long EndTimeUnixNano,
    StatusCode StatusCode);
