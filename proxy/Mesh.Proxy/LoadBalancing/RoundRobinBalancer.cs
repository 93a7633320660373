using Mesh.Proxy.Runtime;

namespace Mesh.Proxy.LoadBalancing;

/// <summary>
/// Smooth weighted round robin (nginx's): exact weight ratios with picks interleaved, not bunched. The state is
/// one small array per endpoint set, guarded by a lock held for a few additions.
/// </summary>
internal sealed class RoundRobinBalancer : ILoadBalancer
{
    private readonly Lock _lock = new();
    private long[] _current = [];

    public EndpointState Pick(EndpointState[] endpoints, long nowTicks, out bool panic)
    {
        panic = !AnyAvailable(endpoints, nowTicks);
        lock (_lock)
        {
            if (_current.Length != endpoints.Length)
            {
                _current = new long[endpoints.Length];
            }

            long total = 0;
            var best = -1;
            for (var i = 0; i < endpoints.Length; i++)
            {
                var e = endpoints[i];
                if (!panic && !e.Available(nowTicks))
                {
                    continue;
                }

                var weight = Math.Max(1, e.Weight);
                _current[i] += weight;
                total += weight;
                if (best < 0 || _current[i] > _current[best])
                {
                    best = i;
                }
            }

            _current[best] -= total;
            return endpoints[best];
        }
    }

    internal static bool AnyAvailable(EndpointState[] endpoints, long nowTicks)
    {
        foreach (var e in endpoints)
        {
            if (e.Available(nowTicks))
            {
                return true;
            }
        }

        return false;
    }
}
