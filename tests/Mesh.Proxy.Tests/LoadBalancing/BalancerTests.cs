using Mesh.Proxy.Config;
using Mesh.Proxy.LoadBalancing;
using Mesh.Proxy.Runtime;

namespace Mesh.Proxy.Tests.LoadBalancing;

public sealed class BalancerTests
{
    private static EndpointState[] Endpoints(params int[] weights) =>
        [.. weights.Select((w, i) => new EndpointState("c", new EndpointConfig { Address = "10.0.0.1", Port = 9000 + i, Weight = w }))];

    [Fact]
    public void RoundRobin_Weights_ExactRatioInterleaved()
    {
        var endpoints = Endpoints(300, 100);
        var rr = new RoundRobinBalancer();

        var picks = Enumerable.Range(0, 400).Select(i => rr.Pick(endpoints, 0, out _)).ToList();

        Assert.Equal(300, picks.Count(p => p == endpoints[0]));
        Assert.Equal(100, picks.Count(p => p == endpoints[1]));
        Assert.True(picks.Take(4).Distinct().Count() == 2, "smooth WRR interleaves rather than bunching");
    }

    [Fact]
    public void RoundRobin_RuntimeWeightOverride_ShiftsRatio()
    {
        var endpoints = Endpoints(100, 100);
        endpoints[1].SetWeightOverride(300);
        var rr = new RoundRobinBalancer();

        var picks = Enumerable.Range(0, 400).Select(i => rr.Pick(endpoints, 0, out _)).ToList();

        Assert.Equal(300, picks.Count(p => p == endpoints[1]));
    }

    [Fact]
    public void PeakEwma_SlowEndpoint_GetsLittleTraffic()
    {
        var endpoints = Endpoints(100, 100, 100);
        endpoints[0].ObserveLatency(200, 1);
        endpoints[1].ObserveLatency(2, 1);
        endpoints[2].ObserveLatency(2, 1);
        var p2c = new PowerOfTwoBalancer(new Random(7), latencyAware: true);

        var picks = Enumerable.Range(0, 3000).Select(i => p2c.Pick(endpoints, 0, out _)).ToList();

        // P2C can only choose the slow one when both draws are it, which never happens with distinct draws.
        Assert.Equal(0, picks.Count(p => p == endpoints[0]));
        Assert.InRange(picks.Count(p => p == endpoints[1]), 1200, 1800);
    }

    [Fact]
    public void LeastRequest_BusyEndpoint_Avoided()
    {
        var endpoints = Endpoints(100, 100);
        for (var i = 0; i < 5; i++)
        {
            endpoints[0].Start();
        }

        var p2c = new PowerOfTwoBalancer(new Random(1), latencyAware: false);

        Assert.All(Enumerable.Range(0, 100), i => Assert.Same(endpoints[1], p2c.Pick(endpoints, 0, out _)));
    }

    [Fact]
    public void Pick_EjectedEndpoint_SkippedUntilAllEjectedThenPanic()
    {
        var endpoints = Endpoints(100, 100);
        endpoints[0].Eject(1000);
        ILoadBalancer[] balancers = [new RoundRobinBalancer(), new PowerOfTwoBalancer(new Random(3), true), new PowerOfTwoBalancer(new Random(3), false)];

        foreach (var b in balancers)
        {
            Assert.All(Enumerable.Range(0, 50), i => Assert.Same(endpoints[1], b.Pick(endpoints, 10, out var panic)));
            endpoints[1].Eject(1000);
            b.Pick(endpoints, 10, out var allEjected);
            Assert.True(allEjected);
            endpoints[1].Uneject();
        }
    }

    [Fact]
    public void ObserveLatency_Spike_RaisesAtOnceAndDecaysSlowly()
    {
        var e = Endpoints(100)[0];
        e.ObserveLatency(10, TimeSpan.TicksPerSecond);
        e.ObserveLatency(100, 2 * TimeSpan.TicksPerSecond);
        Assert.Equal(100, e.EwmaMs);

        e.ObserveLatency(10, 3 * TimeSpan.TicksPerSecond);
        Assert.InRange(e.EwmaMs, 80, 95);
        e.ObserveLatency(10, 63 * TimeSpan.TicksPerSecond);
        Assert.InRange(e.EwmaMs, 10, 11);
    }
}
