using Mesh.Proxy.Telemetry;

namespace Mesh.Proxy.Tests.Telemetry;

public sealed class TraceContextTests
{
    [Fact]
    public void From_ValidTraceparent_ContinuesTraceWithNewSpan()
    {
        var t = TraceContext.From("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", 0, new Random(1));

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", t.TraceId.ToString());
        Assert.Equal("b7ad6b7169203331", t.ParentSpanId.ToString());
        Assert.True(t.Sampled);
        Assert.NotEqual("b7ad6b7169203331", t.SpanId.ToString());
        Assert.Equal($"00-0af7651916cd43dd8448eb211c80319c-{t.SpanId}-01", t.ToTraceparent());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")]
    public void From_MissingOrInvalid_StartsNewTrace(string? header)
    {
        var t = TraceContext.From(header, 1, new Random(1));

        Assert.False(t.TraceId.IsEmpty);
        Assert.True(t.ParentSpanId.IsEmpty);
        Assert.True(t.Sampled);
    }

    [Fact]
    public void From_HeadSampling_FollowsRate()
    {
        var random = new Random(42);
        var sampled = Enumerable.Range(0, 10_000).Count(_ => TraceContext.From(null, 0.25, random).Sampled);

        Assert.InRange(sampled, 2300, 2700);
    }
}
