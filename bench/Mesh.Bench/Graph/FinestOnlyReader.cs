using Mesh.Core.Rollups;

namespace Mesh.Bench.Graph;

/// <summary>
/// A peer of the benchmark: the window read from 10 s rows only, as a store without coarser rollups would have to.
/// The health baseline (one segment of hourly rows) is left as it is, so the peer differs only in the window.
/// </summary>
internal sealed class FinestOnlyReader(IRollupReader inner) : IRollupReader
{
    public ValueTask<IReadOnlyList<RollupRow>> ReadAsync(RollupQuery query, CancellationToken cancellationToken) =>
        inner.ReadAsync(query with { ResolutionSeconds = RollupResolutions.Finest }, cancellationToken);

    public ValueTask<IReadOnlyList<RollupRow>> ReadWindowAsync(RollupWindowQuery query, CancellationToken cancellationToken)
    {
        if (query.Segments is [{ ResolutionSeconds: 3600 }])
        {
            return inner.ReadWindowAsync(query, cancellationToken);
        }

        var finest = new RollupSegment(RollupResolutions.Finest, query.StartUnixSeconds, query.Segments.Max(s => s.EndUnixSeconds));
        return inner.ReadWindowAsync(query with { Segments = [finest] }, cancellationToken);
    }
}
