using Mesh.Core.Telemetry;

namespace Mesh.Core.Storage;

/// <summary>
/// One batch as the ingest pipeline wrote it: spans in the model, and/or trace export requests kept as their
/// serialised protobuf bytes (<c>ExportTraceServiceRequest</c>) for stores that take the wire form.
/// </summary>
public sealed record IngestedBatch(
    IReadOnlyList<Span> Spans,
    IReadOnlyList<ReadOnlyMemory<byte>> TraceRequests,
    WriteMode Mode);
