using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Mesh.Proxy.Resilience;
using Mesh.Proxy.Runtime;
using Mesh.Proxy.Tests.Support;

namespace Mesh.Proxy.Tests.Resilience;

public sealed class OutlierDetectorTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly ProxyCounters _counters = new();

    private (OutlierDetector Detector, EndpointState[] Endpoints) Create(OutlierDetectionConfig config, int count)
    {
        EndpointState[] endpoints = [.. Enumerable.Range(0, count).Select(i => new EndpointState("c", new EndpointConfig { Address = "10.0.0.1", Port = 9000 + i }))];
        return (new OutlierDetector(config, endpoints, _time, _counters), endpoints);
    }

    private long Now => _time.GetUtcNow().UtcTicks;

    [Fact]
    public void OnResult_Consecutive5xx_EjectsAndReturnsAfterBaseTime()
    {
        var (d, e) = Create(new OutlierDetectionConfig { Consecutive5xx = 3, BaseEjectionTime = TimeSpan.FromSeconds(30) }, 3);

        d.OnResult(e[0], Outcome.ServerError, 1);
        d.OnResult(e[0], Outcome.ServerError, 1);
        Assert.False(e[0].IsEjected(Now));
        d.OnResult(e[0], Outcome.ServerError, 1);
        Assert.True(e[0].IsEjected(Now));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(e[0].IsEjected(Now));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(e[0].IsEjected(Now));
    }

    [Fact]
    public void OnResult_SuccessBetweenFailures_ResetsCount()
    {
        var (d, e) = Create(new OutlierDetectionConfig { Consecutive5xx = 3 }, 3);

        foreach (var o in new[] { Outcome.ServerError, Outcome.ServerError, Outcome.Success, Outcome.ServerError, Outcome.ServerError })
        {
            d.OnResult(e[0], o, 1);
        }

        Assert.False(e[0].IsEjected(Now));
    }

    [Fact]
    public void TryEject_Repeated_EjectionTimeGrows()
    {
        var (d, e) = Create(new OutlierDetectionConfig { Consecutive5xx = 1, BaseEjectionTime = TimeSpan.FromSeconds(10), MaxEjectionTime = TimeSpan.FromSeconds(25) }, 3);

        d.OnResult(e[0], Outcome.ServerError, 1);
        _time.Advance(TimeSpan.FromSeconds(11));
        d.Evaluate();
        Assert.False(e[0].IsEjected(Now));

        d.OnResult(e[0], Outcome.ServerError, 1);
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(e[0].IsEjected(Now), "second ejection lasts 2 x base");
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(e[0].IsEjected(Now));
        d.Evaluate();

        d.OnResult(e[0], Outcome.ServerError, 1);
        _time.Advance(TimeSpan.FromSeconds(24));
        Assert.True(e[0].IsEjected(Now), "third ejection is capped at max (25 s), not 3 x base");
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(e[0].IsEjected(Now));
    }

    [Fact]
    public void TryEject_MaxEjectedPercent_KeepsRestInService()
    {
        var (d, e) = Create(new OutlierDetectionConfig { Consecutive5xx = 1, MaxEjectedPercent = 50 }, 4);

        foreach (var endpoint in e)
        {
            d.OnResult(endpoint, Outcome.ServerError, 1);
        }

        Assert.Equal(2, e.Count(x => x.IsEjected(Now)));
        Assert.Equal(2, _counters.EjectionsSkipped.Value);
    }

    [Fact]
    public void Evaluate_LatencyOutlier_EjectedThenRecovers()
    {
        var config = new OutlierDetectionConfig
        {
            Consecutive5xx = 0,
            ConsecutiveGatewayFailures = 0,
            BaseEjectionTime = TimeSpan.FromSeconds(30),
            Latency = new LatencyOutlierConfig { MinRequests = 20, Factor = 3, Percentile = 90, MinLatency = TimeSpan.FromMilliseconds(10) },
        };
        var (d, e) = Create(config, 3);
        for (var i = 0; i < 50; i++)
        {
            d.OnResult(e[0], Outcome.Success, 120);
            d.OnResult(e[1], Outcome.Success, 20);
            d.OnResult(e[2], Outcome.Success, 25);
        }

        d.Evaluate();

        Assert.True(e[0].IsEjected(Now));
        Assert.False(e[1].IsEjected(Now));
        Assert.False(e[2].IsEjected(Now));
        Assert.Contains(_counters.Ejections, x => x.Reason == "latency");

        _time.Advance(TimeSpan.FromSeconds(31));
        d.Evaluate();
        Assert.False(e[0].IsEjected(Now));
    }

    [Fact]
    public void Evaluate_FastEverywhere_NoLatencyEjection()
    {
        var config = new OutlierDetectionConfig { Latency = new LatencyOutlierConfig { MinRequests = 20, Factor = 3, MinLatency = TimeSpan.FromMilliseconds(10) } };
        var (d, e) = Create(config, 3);
        for (var i = 0; i < 50; i++)
        {
            // 3 ms vs 0.5 ms is a big factor but under the absolute floor: not worth ejecting.
            d.OnResult(e[0], Outcome.Success, 3);
            d.OnResult(e[1], Outcome.Success, 0.5);
            d.OnResult(e[2], Outcome.Success, 0.5);
        }

        d.Evaluate();

        Assert.DoesNotContain(e, x => x.IsEjected(Now));
    }

    [Fact]
    public void Evaluate_SuccessRateOutlier_Ejected()
    {
        var config = new OutlierDetectionConfig
        {
            Consecutive5xx = 0,
            ConsecutiveGatewayFailures = 0,
            SuccessRate = new SuccessRateOutlierConfig { MinRequests = 20, MinEndpoints = 3, StdevFactor = 1 },
        };
        var (d, e) = Create(config, 4);
        for (var i = 0; i < 100; i++)
        {
            d.OnResult(e[0], i % 2 == 0 ? Outcome.ServerError : Outcome.Success, 1);
            d.OnResult(e[1], Outcome.Success, 1);
            d.OnResult(e[2], Outcome.Success, 1);
            d.OnResult(e[3], i % 50 == 0 ? Outcome.ServerError : Outcome.Success, 1);
        }

        d.Evaluate();

        Assert.True(e[0].IsEjected(Now));
        Assert.Equal(1, e.Count(x => x.IsEjected(Now)));
    }
}
