namespace Mesh.Core.Rollups;

/// <summary>Adds rollup rows to a store.</summary>
public interface IRollupWriter
{
    /// <summary>
    /// Adds every row to what the store holds for its key and bucket (never replaces: other ingest nodes write the
    /// same buckets). Idempotent per <paramref name="contributionId"/>: rows written again under an id the store
    /// already has are not added twice, so a retry after a timeout is exact. Throws
    /// <see cref="Storage.StoreUnavailableException"/> when the store cannot be reached.
    /// </summary>
    ValueTask WriteAsync(IReadOnlyList<RollupRow> rows, string contributionId, CancellationToken cancellationToken);
}
