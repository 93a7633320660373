using Mesh.Proxy.Config;
using Mesh.Proxy.Policies;
using Mesh.Proxy.Tests.Support;

namespace Mesh.Proxy.Tests.Resilience;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryTake_BurstThenRefillAtRate()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(ratePerSecond: 10, capacity: 5, time);

        Assert.Equal(5, Enumerable.Range(0, 10).Count(i => bucket.TryTake(out _)));
        Assert.False(bucket.TryTake(out var retryAfter));
        Assert.InRange(retryAfter.TotalMilliseconds, 99, 101);

        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(i => bucket.TryTake(out _)));
    }

    [Fact]
    public void TryAcquire_PerSource_SeparateBuckets()
    {
        var limiter = new RateLimiter(new RateLimitConfig { RequestsPerSecond = 1, Burst = 2, PerSource = true }, new ManualTimeProvider());

        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.False(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("b", out _));
    }
}
