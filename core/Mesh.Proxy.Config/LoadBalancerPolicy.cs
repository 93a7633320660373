using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config;

public enum LoadBalancerPolicy
{
    /// <summary>Smooth weighted round robin.</summary>
    [JsonStringEnumMemberName("round_robin")]
    RoundRobin,

    /// <summary>Power of two choices by fewest outstanding requests (weighted).</summary>
    [JsonStringEnumMemberName("least_request")]
    LeastRequest,

    /// <summary>Power of two choices over peak-EWMA latency times outstanding requests (Linkerd's default).</summary>
    [JsonStringEnumMemberName("peak_ewma")]
    PeakEwma,
}
