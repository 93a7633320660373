using Mesh.Analytics.Graph;
using Mesh.Core.Rollups;
using Xunit;

namespace Mesh.Analytics.Tests.Graph;

public sealed class RollupPlanTests
{
    [Theory]
    [InlineData(1_800_000_000, 1_800_003_600)]
    [InlineData(1_800_000_010, 1_800_007_190)]
    [InlineData(1_800_000_003, 1_800_000_047)]
    [InlineData(1_799_999_990, 1_800_086_400)]
    public void Segments_AnyWindow_CoverItExactlyWithAlignedBuckets(long start, long end)
    {
        var segments = RollupPlan.Segments(start, end);
        var at = RollupPlan.AlignDown(start, 10);
        foreach (var (resolution, s, e) in segments)
        {
            Assert.Equal(at, s);
            Assert.True(e > s);
            Assert.Equal(0, s % resolution);
            Assert.Equal(0, e % resolution);
            at = e;
        }

        Assert.Equal(RollupPlan.AlignUp(end, 10), at);
        Assert.True(segments.Sum(x => x.Buckets) <= 2 * (5 + 9 + 5) + 24);
    }

    [Fact]
    public void Segments_AlignedHour_OneHourlyBucket()
    {
        Assert.Equal([new RollupSegment(3600, 1_800_000_000L, 1_800_003_600L)], RollupPlan.Segments(1_800_000_000, 1_800_003_600));
    }
}
