namespace Mesh.Core.Rollups;

/// <summary>Reads rollups as sums per key (and per bucket, for time series). Returned objects belong to the caller.</summary>
public interface IRollupReader
{
    /// <summary>
    /// Rows matching <paramref name="query"/>, every contribution to a key and bucket already added up; in no
    /// particular order.
    /// </summary>
    ValueTask<IReadOnlyList<RollupRow>> ReadAsync(RollupQuery query, CancellationToken cancellationToken);
}
