using Mesh.Proxy.Runtime;

namespace Mesh.Proxy.LoadBalancing;

/// <summary>
/// Power of two choices: draw two endpoints at random, keep the cheaper. Near-best balance at O(1) cost and no
/// shared state to contend on. The cost function is the policy: outstanding requests (least-request) or
/// peak-EWMA latency times outstanding (Linkerd's default, which steers away from slow endpoints at once).
/// Costs are divided by weight, so runtime weight overrides shift load proportionally.
/// </summary>
internal sealed class PowerOfTwoBalancer : ILoadBalancer
{
    private readonly Random _random;
    private readonly bool _latencyAware;

    public PowerOfTwoBalancer(Random random, bool latencyAware)
    {
        _random = random;
        _latencyAware = latencyAware;
    }

    public EndpointState Pick(EndpointState[] endpoints, long nowTicks, out bool panic)
    {
        var available = 0;
        foreach (var e in endpoints)
        {
            if (e.Available(nowTicks))
            {
                available++;
            }
        }

        panic = available == 0;
        var pool = panic ? endpoints.Length : available;
        if (pool == 1)
        {
            return Nth(endpoints, 0, panic, nowTicks);
        }

        var a = _random.Next(pool);
        var b = _random.Next(pool - 1);
        if (b >= a)
        {
            b++;
        }

        var first = Nth(endpoints, a, panic, nowTicks);
        var second = Nth(endpoints, b, panic, nowTicks);
        return Cost(first) <= Cost(second) ? first : second;
    }

    private double Cost(EndpointState e)
    {
        var load = e.Outstanding + 1.0;
        var weight = Math.Max(1, e.Weight);

        // An endpoint with no latency sample yet costs as if it answered in 1 ms, so it gets tried.
        return _latencyAware ? Math.Max(e.EwmaMs, 1.0) * load / weight : load / weight;
    }

    private static EndpointState Nth(EndpointState[] endpoints, int n, bool all, long nowTicks)
    {
        if (all)
        {
            return endpoints[n];
        }

        foreach (var e in endpoints)
        {
            if (e.Available(nowTicks) && n-- == 0)
            {
                return e;
            }
        }

        return endpoints[0];
    }
}
