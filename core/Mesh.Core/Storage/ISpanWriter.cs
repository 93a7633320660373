using Mesh.Core.Telemetry;

namespace Mesh.Core.Storage;

/// <summary>Writes spans to a store.</summary>
public interface ISpanWriter
{
    /// <summary>
    /// Stores <paramref name="spans"/> and returns once they are durable in the store.
    /// Idempotent: a span is identified by (trace id, span id); with <see cref="WriteMode.Replay"/>
    /// a span that is already stored is not stored again. Throws <see cref="StoreUnavailableException"/>
    /// when the store cannot be reached, so the caller can keep the batch and retry.
    /// The caller keeps ownership of the list; the writer does not hold on to it after returning.
    /// </summary>
    ValueTask WriteSpansAsync(IReadOnlyList<Span> spans, WriteMode mode, CancellationToken cancellationToken);
}
