namespace Mesh.Core.Rollups;

/// <summary>Reads rollups as sums per key (and per bucket, for time series). Returned objects belong to the caller.</summary>
public interface IRollupReader
{
    /// <summary>
    /// Rows matching <paramref name="query"/>, every contribution to a key and bucket already added up; in no
    /// particular order.
    /// </summary>
    ValueTask<IReadOnlyList<RollupRow>> ReadAsync(RollupQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// One row per key: every row of every segment of <paramref name="query"/> (every contribution, every bucket,
    /// every resolution it names) added up, in the store where it can. In no particular order; each row has
    /// <see cref="RollupRow.BucketStartUnixSeconds"/> = <see cref="RollupWindowQuery.StartUnixSeconds"/> and
    /// <see cref="RollupRow.ResolutionSeconds"/> = <see cref="RollupResolutions.Finest"/>. Throws
    /// <see cref="ArgumentException"/> for a query that fails <see cref="RollupWindowQuery.Validate"/>.
    /// </summary>
    ValueTask<IReadOnlyList<RollupRow>> ReadWindowAsync(RollupWindowQuery query, CancellationToken cancellationToken);
}
