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
