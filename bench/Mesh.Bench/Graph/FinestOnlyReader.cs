using Mesh.Core.Rollups;

namespace Mesh.Bench.Graph;

/// <summary>The peer of the benchmark: every read at 10 s, as a planner without coarser rollups would have to.</summary>
internal sealed class FinestOnlyReader(IRollupReader inner) : IRollupReader
{
    public ValueTask<IReadOnlyList<RollupRow>> ReadAsync(RollupQuery query, CancellationToken cancellationToken) =>
        inner.ReadAsync(query with { ResolutionSeconds = RollupResolutions.Finest }, cancellationToken);
}
