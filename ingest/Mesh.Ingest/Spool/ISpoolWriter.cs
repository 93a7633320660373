namespace Mesh.Ingest.Spool;

/// <summary>The receivers' side of the write-ahead spool.</summary>
public interface ISpoolWriter
{
    /// <summary>
    /// Appends one record and completes only once it is on disk (fsync'd; concurrent appends share one
    /// fsync). Returns <see cref="AppendResult.Full"/> without writing when the undrained spool is over
    /// its size limit, so the receiver can answer 429 / RESOURCE_EXHAUSTED. The payload is copied; the
    /// caller may reuse its buffer when the call returns.
    /// </summary>
    ValueTask<AppendResult> AppendAsync(SignalType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
