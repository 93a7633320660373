using Mesh.Core.Rollups;

namespace Mesh.Analytics.Tests.Graph;

/// <summary>A rollup store in a list, with the reader contract (sums per key, or per key and bucket).</summary>
internal sealed class InMemoryRollups : IRollupReader, IRollupWriter
{
    private readonly List<RollupRow> _rows = [];
    private readonly HashSet<string> _contributions = [];

    public int Reads { get; private set; }

    public ValueTask WriteAsync(IReadOnlyList<RollupRow> rows, string contributionId, CancellationToken cancellationToken)
    {
        if (_contributions.Add(contributionId))
        {
            _rows.AddRange(rows);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<RollupRow>> ReadAsync(RollupQuery query, CancellationToken cancellationToken)
    {
        Reads++;
        var sums = new Dictionary<(EdgeKey, long), RollupRow>();
        foreach (var row in _rows)
        {
            if (row.ResolutionSeconds != query.ResolutionSeconds || row.BucketStartUnixSeconds < query.StartUnixSeconds || row.BucketStartUnixSeconds >= query.EndUnixSeconds
                || (query.SourceService is { } s && row.Key.SourceService != s) || (query.DestinationService is { } d && row.Key.DestinationService != d))
            {
                continue;
            }

            var bucket = query.PerBucket ? row.BucketStartUnixSeconds : query.StartUnixSeconds;
            var r = row with { BucketStartUnixSeconds = bucket };
            sums[(row.Key, bucket)] = sums.TryGetValue((row.Key, bucket), out var sum) ? sum.Add(r) : r;
        }

        return ValueTask.FromResult<IReadOnlyList<RollupRow>>([.. sums.Values]);
    }
}
