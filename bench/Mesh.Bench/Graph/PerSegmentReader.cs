using Mesh.Core.Rollups;

namespace Mesh.Bench.Graph;

/// <summary>
/// A peer of the benchmark: the read path before window reads, kept here to compare against in the same run. One
/// <see cref="IRollupReader.ReadAsync"/> per segment (in parallel), every row materialised with its histogram, and the
/// rows summed per key in C# (<see cref="RollupRow.Add"/>).
/// </summary>
internal sealed class PerSegmentReader(IRollupReader inner) : IRollupReader
{
    public ValueTask<IReadOnlyList<RollupRow>> ReadAsync(RollupQuery query, CancellationToken cancellationToken) =>
        inner.ReadAsync(query, cancellationToken);

    public async ValueTask<IReadOnlyList<RollupRow>> ReadWindowAsync(RollupWindowQuery query, CancellationToken cancellationToken)
    {
        var reads = query.Segments.Select(segment => inner.ReadAsync(
            new RollupQuery
            {
                ResolutionSeconds = segment.ResolutionSeconds,
                StartUnixSeconds = segment.StartUnixSeconds,
                EndUnixSeconds = segment.EndUnixSeconds,
                SourceService = query.SourceService,
                DestinationService = query.DestinationService,
            },
            cancellationToken).AsTask()).ToList();
        var merged = new Dictionary<EdgeKey, RollupRow>();
        foreach (var read in reads)
        {
            foreach (var row in await read.ConfigureAwait(false))
            {
                merged[row.Key] = merged.TryGetValue(row.Key, out var sum) ? sum.Add(row) : row;
            }
        }

        return [.. merged.Values];
    }
}
