using Mesh.Core.Storage;

namespace Mesh.Otlp.Storage;

/// <summary>
/// A span writer that takes OTLP export requests as they were received, protobuf bytes and all, so a store can go
/// from wire to rows without the model in between (see <see cref="Wire.OtlpTraceWire"/>). A store's
/// <see cref="ISpanWriter"/> may also implement this; the ingest pipeline then hands it spooled requests directly.
/// </summary>
public interface IOtlpSpanWriter
{
    /// <summary>
    /// Stores every span of <paramref name="requests"/>, each a serialised <c>ExportTraceServiceRequest</c>.
    /// Idempotence is as for <see cref="ISpanWriter.WriteSpansAsync"/> with the same mode. A request that does not
    /// parse cannot be stored and must not fail the rest (a failed write is retried as it is, forever): it is
    /// skipped, and the result says how many were.
    /// </summary>
    /// <returns>The number of requests skipped because they do not parse.</returns>
    ValueTask<int> WriteOtlpAsync(IReadOnlyList<ReadOnlyMemory<byte>> requests, WriteMode mode, CancellationToken cancellationToken);
}
