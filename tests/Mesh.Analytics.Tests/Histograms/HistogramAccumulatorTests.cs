using Mesh.Core.Rollups;
using Xunit;

namespace Mesh.Analytics.Tests.Histograms;

public sealed class HistogramAccumulatorTests
{
    [Fact]
    public void Add_IndexesSpreadBothWays_SameAsTheSparseSum()
    {
        var random = new Random(3);
        var accumulator = new HistogramAccumulator();
        var pairs = new List<KeyValuePair<int, long>>();
        foreach (var index in new[] { 900, 901, 880, 1500, 0, 40, 1919, 700 }.Concat(Enumerable.Range(0, 500).Select(_ => random.Next(0, 1920))))
        {
            var count = random.Next(0, 5);
            accumulator.Add(index, count);
            pairs.Add(KeyValuePair.Create(index, (long)count));
        }

        var expected = HistogramCounts.From(pairs);
        Assert.Equal(expected, accumulator.ToCounts());
        Assert.Equal(expected.Total, accumulator.Total);
    }

    [Fact]
    public void TryAddEncoded_StoredBlobs_AddUpLikeTheHistograms()
    {
        var a = HistogramCounts.From([new(600, 3), new(610, 1), new(700, 9)]);
        var b = HistogramCounts.From([new(5, 2), new(610, 4), new(1200, 1)]);
        var accumulator = new HistogramAccumulator();
        Assert.True(accumulator.TryAddEncoded(a.Encode()));
        Assert.True(accumulator.TryAddEncoded(b.Encode()));
        Assert.True(accumulator.TryAddEncoded(HistogramCounts.Empty.Encode()));
        Assert.Equal(a.Add(b), accumulator.ToCounts());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 2, 10, 1 })]
    [InlineData(new byte[] { 2, 10, 1, 0, 1 })]
    [InlineData(new byte[] { 1, 10, 1, 99 })]
    [InlineData(new byte[] { 200, 1 })]
    [InlineData(new byte[] { 2, 10, 1, 1, 0x80 })]
    public void TryAddEncoded_NotABlobOfOurs_FalseAndNothingAdded(byte[] data)
    {
        var accumulator = new HistogramAccumulator();
        accumulator.Add(10, 5);
        accumulator.Add(11, 1);
        Assert.False(accumulator.TryAddEncoded(data));
        Assert.Equal(HistogramCounts.From([new(10, 5), new(11, 1)]), accumulator.ToCounts());
        Assert.Equal(6, accumulator.Total);
    }
}
