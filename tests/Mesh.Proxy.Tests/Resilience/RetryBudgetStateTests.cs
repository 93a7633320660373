using Mesh.Proxy.Config;
using Mesh.Proxy.Resilience;
using Mesh.Proxy.Tests.Support;

namespace Mesh.Proxy.Tests.Resilience;

public sealed class RetryBudgetStateTests
{
    [Fact]
    public void TryRetry_RatioOfRequests_AllowedThenRefused()
    {
        var time = new ManualTimeProvider();
        var budget = new RetryBudgetState(new RetryBudget { Ratio = 0.2, MinRetriesPerSecond = 0, Window = TimeSpan.FromSeconds(10) }, time);
        for (var i = 0; i < 100; i++)
        {
            budget.OnRequest();
        }

        var allowed = Enumerable.Range(0, 50).Count(_ => budget.TryRetry());

        Assert.Equal(20, allowed);
    }

    [Fact]
    public void TryRetry_Floor_AllowsRetriesWithoutTraffic()
    {
        var time = new ManualTimeProvider();
        var budget = new RetryBudgetState(new RetryBudget { Ratio = 0.2, MinRetriesPerSecond = 1, Window = TimeSpan.FromSeconds(5) }, time);

        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => budget.TryRetry()));
    }

    [Fact]
    public void TryRetry_WindowPasses_BudgetRefills()
    {
        var time = new ManualTimeProvider();
        var budget = new RetryBudgetState(new RetryBudget { Ratio = 0.5, MinRetriesPerSecond = 0, Window = TimeSpan.FromSeconds(10) }, time);
        for (var i = 0; i < 10; i++)
        {
            budget.OnRequest();
        }

        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => budget.TryRetry()));

        time.Advance(TimeSpan.FromSeconds(11));
        Assert.False(budget.TryRetry());
        for (var i = 0; i < 4; i++)
        {
            budget.OnRequest();
        }

        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => budget.TryRetry()));
    }

    [Fact]
    public void Backoff_Delay_GrowsExponentiallyWithinCap()
    {
        var random = new Random(5);
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Delay(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(25), random)).ToList();

        Assert.All(delays, d => Assert.InRange(d.TotalMilliseconds, 0, 25));
        Assert.True(delays.Max().TotalMilliseconds > 20, "full jitter spans up to the cap");
        Assert.True(delays.Distinct().Count() > 100, "jittered, not a fixed delay");
    }
}
