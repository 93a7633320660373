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

    public async ValueTask<IReadOnlyList<RollupRow>> ReadWindowAsync(RollupWindowQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        var sums = new Dictionary<EdgeKey, RollupRow>();
        foreach (var segment in query.Segments)
        {
            var rows = await ReadAsync(
                new RollupQuery
                {
                    ResolutionSeconds = segment.ResolutionSeconds,
                    StartUnixSeconds = segment.StartUnixSeconds,
                    EndUnixSeconds = segment.EndUnixSeconds,
                    SourceService = query.SourceService,
                    DestinationService = query.DestinationService,
                },
                cancellationToken);
            foreach (var row in rows)
            {
                var r = row with { ResolutionSeconds = RollupResolutions.Finest, BucketStartUnixSeconds = query.StartUnixSeconds };
                sums[row.Key] = sums.TryGetValue(row.Key, out var sum) ? sum.Add(r) : r;
            }
        }

        return [.. sums.Values];
    }
}
