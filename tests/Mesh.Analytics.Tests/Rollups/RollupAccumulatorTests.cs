using Mesh.Analytics.Edges;
using Mesh.Analytics.Rollups;
using Mesh.Core.Rollups;
using Xunit;

namespace Mesh.Analytics.Tests.Rollups;

public sealed class RollupAccumulatorTests
{
    private static readonly EdgeKey Key = new() { SourceService = "a", DestinationService = "b" };

    [Fact]
    public void Take_SamplesInTwoTenSecondBuckets_RowsPerResolutionSumUp()
    {
        var accumulator = new RollupAccumulator();
        const long t0 = 1_800_000_000L; // a multiple of 3600
        accumulator.Add(Sample(t0 + 1, 1_000_000, error: true));
        accumulator.Add(Sample(t0 + 9, 3_000_000));
        accumulator.Add(Sample(t0 + 15, 2_000_000));
        var rows = accumulator.Take();
        Assert.Equal(0, accumulator.Count);

        var tens = rows.Where(r => r.ResolutionSeconds == 10).OrderBy(r => r.BucketStartUnixSeconds).ToList();
        Assert.Equal([t0, t0 + 10], tens.Select(r => r.BucketStartUnixSeconds));
        Assert.Equal((2, 1, 200, 4_000_000), (tens[0].Requests, tens[0].Errors, tens[0].BytesIn, tens[0].LatencySumNanos));
        foreach (var resolution in new[] { 60, 600, 3600 })
        {
            var row = Assert.Single(rows, r => r.ResolutionSeconds == resolution);
            Assert.Equal((t0, 3L, 1L, 3L), (row.BucketStartUnixSeconds, row.Requests, row.Errors, row.Histogram.Total));
        }
    }

    [Fact]
    public void Take_ManySamplesOverHoursAndKeys_EveryResolutionMatchesSummingEachSampleDirectly()
    {
        // The accumulator keeps only 10 s cells and sums the coarser ones when taken; each row must equal what
        // adding every sample straight into its bucket at that resolution gives, also for buckets before 1970.
        var random = new Random(7);
        var keys = new[] { Key, new EdgeKey { SourceService = "a", DestinationService = "c", DestinationVersion = "v2" } };
        var accumulator = new RollupAccumulator();
        var expected = new Dictionary<(int, long, EdgeKey), (long Requests, long Errors, long Bytes, long Latency, Dictionary<int, long> Buckets)>();
        foreach (var start in new[] { 1_800_000_000L - 5_000, -7_300L })
        {
            for (var i = 0; i < 2_000; i++)
            {
                var key = keys[random.Next(keys.Length)];
                var sample = Sample(start + random.Next(0, 7_300), random.Next(1, 50_000_000), error: random.Next(4) == 0) with { Key = key };
                accumulator.Add(sample);
                var seconds = Math.DivRem(sample.StartUnixNano, 1_000_000_000L).Quotient;
                foreach (var resolution in RollupResolutions.All)
                {
                    var bucket = (long)Math.Floor(seconds / (double)resolution) * resolution;
                    var cell = expected.GetValueOrDefault((resolution, bucket, key), (0, 0, 0, 0, new Dictionary<int, long>()));
                    var index = Mesh.Analytics.Histograms.LatencyHistogram.IndexOf(sample.DurationNanos);
                    cell.Buckets[index] = cell.Buckets.GetValueOrDefault(index) + 1;
                    expected[(resolution, bucket, key)] = (cell.Requests + 1, cell.Errors + (sample.IsError ? 1 : 0), cell.Bytes + sample.BytesIn, cell.Latency + sample.DurationNanos, cell.Buckets);
                }
            }
        }

        var rows = accumulator.Take();
        Assert.Equal(expected.Count, rows.Count);
        foreach (var row in rows)
        {
            var want = expected[(row.ResolutionSeconds, row.BucketStartUnixSeconds, row.Key)];
            Assert.Equal((want.Requests, want.Errors, want.Bytes, want.Latency), (row.Requests, row.Errors, row.BytesIn, row.LatencySumNanos));
            var buckets = Enumerable.Range(0, row.Histogram.BucketCount).ToDictionary(i => row.Histogram.Indexes[i], i => row.Histogram.Counts[i]);
            Assert.Equal(want.Buckets.OrderBy(b => b.Key), buckets.OrderBy(b => b.Key));
        }
    }

    private static EdgeSample Sample(long seconds, long nanos, bool error = false) => new()
    {
        Key = Key,
        StartUnixNano = (seconds * 1_000_000_000) + 5,
        DurationNanos = nanos,
        IsError = error,
        BytesIn = 100,
        BytesOut = 10,
    };
}
