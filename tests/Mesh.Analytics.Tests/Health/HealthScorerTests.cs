using Mesh.Analytics.Health;
using Xunit;

namespace Mesh.Analytics.Tests.Health;

public sealed class HealthScorerTests
{
    private static readonly HealthThresholds Defaults = new();

    [Theory]
    [InlineData(0, HealthState.Healthy)]
    [InlineData(9, HealthState.Healthy)] // 0.09 %
    [InlineData(10, HealthState.Degraded)] // 0.1 %: degraded from here (Kiali)
    [InlineData(1000, HealthState.Degraded)] // 10 %: still degraded
    [InlineData(1001, HealthState.Failing)] // above 10 %
    [InlineData(10_000, HealthState.Failing)]
    public void Score_ErrorRateAgainstDefaults_StateFollowsThresholds(int errors, HealthState expected)
    {
        var report = HealthScorer.Score(new HealthInput { Requests = 10_000, Errors = errors }, Defaults);
        Assert.Equal(expected, report.State);
        Assert.InRange(report.Score!.Value, expected switch { HealthState.Healthy => 90, HealthState.Degraded => 50, _ => 0 }, expected switch { HealthState.Healthy => 100, HealthState.Degraded => 90, _ => 49 });
        if (expected != HealthState.Healthy)
        {
            Assert.Equal("error_rate", Assert.Single(report.Reasons).Code);
        }
    }

    [Fact]
    public void Score_PerServiceThresholds_Respected()
    {
        var options = new HealthOptions { Services = new Dictionary<string, HealthThresholds> { ["batch"] = new() { DegradedErrorRate = 0.05, FailingErrorRate = 0.5 } } };
        var input = new HealthInput { Requests = 100, Errors = 20 };
        Assert.Equal(HealthState.Failing, HealthScorer.Score(input, options.For("cart")).State);
        Assert.Equal(HealthState.Degraded, HealthScorer.Score(input, options.For("batch")).State);
    }

    [Fact]
    public void Score_NoRequests_NoTraffic()
    {
        var report = HealthScorer.Score(new HealthInput(), Defaults);
        Assert.Equal((HealthState.NoTraffic, (int?)null), (report.State, report.Score));
    }

    [Fact]
    public void Score_LatencyAgainstBaseline_DegradedFromTwiceTheBaseline()
    {
        var slow = HealthScorer.Score(new HealthInput { Requests = 100, P95Nanos = 250e6, BaselineP95Nanos = 100e6, BaselineRequests = 1000 }, Defaults);
        Assert.Equal(HealthState.Degraded, slow.State);
        Assert.Equal("latency", Assert.Single(slow.Reasons).Code);

        var usual = HealthScorer.Score(new HealthInput { Requests = 100, P95Nanos = 150e6, BaselineP95Nanos = 100e6, BaselineRequests = 1000 }, Defaults);
        Assert.Equal(HealthState.Healthy, usual.State);
        Assert.InRange(usual.Score!.Value, 90, 99);

        var thinBaseline = HealthScorer.Score(new HealthInput { Requests = 100, P95Nanos = 900e6, BaselineP95Nanos = 100e6, BaselineRequests = 10 }, Defaults);
        Assert.Equal(HealthState.Healthy, thinBaseline.State);
    }

    [Fact]
    public void Score_Rejections_DegradedThenFailing()
    {
        Assert.Equal(HealthState.Degraded, HealthScorer.Score(new HealthInput { Requests = 1000, Rejections = 5 }, Defaults).State);
        var failing = HealthScorer.Score(new HealthInput { Requests = 1000, Rejections = 200 }, Defaults);
        Assert.Equal(HealthState.Failing, failing.State);
        Assert.Equal("rejections", Assert.Single(failing.Reasons).Code);
    }

    [Fact]
    public void Score_AnomalyScore_DegradesWhenHigh()
    {
        var report = HealthScorer.Score(new HealthInput { Requests = 1000, AnomalyScore = 0.95 }, Defaults);
        Assert.Equal((HealthState.Degraded, (double?)0.95), (report.State, report.AnomalyScore));
    }

    [Fact]
    public void Score_SeveralReasons_WorstStateAndLowestScore()
    {
        var report = HealthScorer.Score(new HealthInput { Requests = 1000, Errors = 500, Rejections = 5 }, Defaults);
        Assert.Equal(HealthState.Failing, report.State);
        Assert.Equal(2, report.Reasons.Count);
        Assert.True(report.Score < 50);
    }
}
