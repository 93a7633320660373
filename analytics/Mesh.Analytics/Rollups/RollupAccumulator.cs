using System.Runtime.InteropServices;
using Mesh.Analytics.Edges;
using Mesh.Analytics.Histograms;
using Mesh.Core.Rollups;

namespace Mesh.Analytics.Rollups;

/// <summary>
/// Sums edge samples into rollup cells at every resolution of <see cref="RollupResolutions.All"/>, in memory,
/// until <see cref="Take"/> hands them over as rows. A sample lands in one cell, at the finest resolution; the
/// coarser cells are summed from those when taken (every resolution is a multiple of the finest, so a finest
/// bucket lies inside exactly one bucket of each coarser one, and counts and histograms add exactly). One lookup and
/// one histogram update per sample instead of one per resolution: this runs for every span ingested. Not thread-safe.
/// </summary>
public sealed class RollupAccumulator
{
    private readonly Dictionary<(long Bucket, EdgeKey Key), Cell> _cells = [];

    static RollupAccumulator()
    {
        foreach (var resolution in RollupResolutions.All)
        {
            if (resolution % RollupResolutions.Finest != 0)
            {
                throw new InvalidOperationException($"rollup resolution {resolution} s is not a multiple of the finest ({RollupResolutions.Finest} s)");
            }
        }
    }

    /// <summary>Distinct (bucket, key) cells held at the finest resolution (the coarser ones are made by <see cref="Take"/>).</summary>
    public int Count => _cells.Count;

    public void Add(in EdgeSample sample)
    {
        var bucket = BucketOf(Math.DivRem(sample.StartUnixNano, 1_000_000_000L).Quotient, RollupResolutions.Finest);
        ref var cell = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells, (bucket, sample.Key), out _);
        cell ??= new Cell();
        cell.Add(sample);
    }

    /// <summary>Every cell at every resolution as a row, emptying the accumulator.</summary>
    public List<RollupRow> Take()
    {
        var coarser = new Dictionary<(int Resolution, long Bucket, EdgeKey Key), Cell>();
        var rows = new List<RollupRow>(_cells.Count * RollupResolutions.All.Count);
        foreach (var ((bucket, key), cell) in _cells)
        {
            rows.Add(cell.ToRow(RollupResolutions.Finest, bucket, key));
            foreach (var resolution in RollupResolutions.All)
            {
                if (resolution != RollupResolutions.Finest)
                {
                    ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(coarser, (resolution, BucketOf(bucket, resolution), key), out _);
                    sum ??= new Cell();
                    sum.Add(cell);
                }
            }
        }

        foreach (var ((resolution, bucket, key), cell) in coarser)
        {
            rows.Add(cell.ToRow(resolution, bucket, key));
        }

        _cells.Clear();
        return rows;
    }

    /// <summary>The start of the <paramref name="resolution"/>-second bucket holding <paramref name="seconds"/> (floor, also before 1970).</summary>
    private static long BucketOf(long seconds, int resolution) => seconds - (((seconds % resolution) + resolution) % resolution);

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

        /// <summary>Adds everything <paramref name="other"/> summed (a finer cell inside this one).</summary>
        public void Add(Cell other)
        {
            _requests += other._requests;
            _errors += other._errors;
            _bytesIn += other._bytesIn;
            _bytesOut += other._bytesOut;
            _mtls += other._mtls;
            _retries += other._retries;
            _rateLimited += other._rateLimited;
            _circuitBroken += other._circuitBroken;
            _latencySum += other._latencySum;
            _histogram.Add(other._histogram);
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
