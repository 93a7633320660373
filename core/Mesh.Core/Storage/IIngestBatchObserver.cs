namespace Mesh.Core.Storage;

/// <summary>
/// Sees every batch the ingest pipeline has made durable in the store, in spool order, one at a time: the hook
/// that lets analytics roll up telemetry while it streams in, without reading it back. Called after the store
/// has the batch and before the spool commits it. Must not throw for bad data (count it instead); an exception
/// is logged and the batch is committed anyway, so an observer can never hold ingest up.
/// </summary>
public interface IIngestBatchObserver
{
    /// <summary>Looks at <paramref name="batch"/>; nothing in it may be kept after returning (its buffers are reused).</summary>
    ValueTask OnBatchStoredAsync(IngestedBatch batch, CancellationToken cancellationToken);
}
