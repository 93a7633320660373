using Mesh.Analytics.Edges;
using Mesh.Analytics.Histograms;
using Mesh.Core.Rollups;

namespace Mesh.Analytics.Rollups;

/// <summary>
/// Sums edge samples into rollup cells at every resolution of <see cref="RollupResolutions.All"/>, in memory,
/// until <see cref="Take"/> hands them over as rows. Not thread-safe.
/// </summary>
public sealed class RollupAccumulator
{
    private readonly Dictionary<(int Resolution, long Bucket, EdgeKey Key), Cell> _cells = [];

    /// <summary>Distinct (resolution, bucket, key) cells held.</summary>
    public int Count => _cells.Count;

    public void Add(in EdgeSample sample)
    {
        var seconds = Math.DivRem(sample.StartUnixNano, 1_000_000_000L).Quotient;
        foreach (var resolution in RollupResolutions.All)
        {
            var bucket = seconds - (((seconds % resolution) + resolution) % resolution);
            if (!_cells.TryGetValue((resolution, bucket, sample.Key), out var cell))
            {
                cell = new Cell();
                _cells.Add((resolution, bucket, sample.Key), cell);
            }

            cell.Add(sample);
        }
    }

    /// <summary>Every cell as a row, emptying the accumulator.</summary>
    public List<RollupRow> Take()
    {
        var rows = new List<RollupRow>(_cells.Count);
        foreach (var ((resolution, bucket, key), cell) in _cells)
        {
            rows.Add(cell.ToRow(resolution, bucket, key));
        }

        _cells.Clear();
        return rows;
    }

    private sealed class Cell
    {
        private readonly LatencyHistogram _histogram = new();
        private long _requests;
        private long _errors;
        private long _bytesIn;
        private long _bytesOut;
        private long _mtls;
        private long _retries;
        private long _rateLimited;
        private long _circuitBroken;
        private long _latencySum;

        public void Add(in EdgeSample s)
        {
            _requests++;
            _errors += s.IsError ? 1 : 0;
            _bytesIn += s.BytesIn;
            _bytesOut += s.BytesOut;
            _mtls += s.Mtls ? 1 : 0;
            _retries += s.Retries;
            _rateLimited += s.RateLimited ? 1 : 0;
            _circuitBroken += s.CircuitBroken ? 1 : 0;
            _latencySum += s.DurationNanos;
            _histogram.Record(s.DurationNanos);
        }

        public RollupRow ToRow(int resolution, long bucket, EdgeKey key) => new()
        {
            ResolutionSeconds = resolution,
            BucketStartUnixSeconds = bucket,
            Key = key,
            Requests = _requests,
            Errors = _errors,
            BytesIn = _bytesIn,
            BytesOut = _bytesOut,
            MtlsRequests = _mtls,
            Retries = _retries,
            RateLimited = _rateLimited,
            CircuitBroken = _circuitBroken,
            LatencySumNanos = _latencySum,
            Histogram = _histogram.ToCounts(),
        };
    }
}
