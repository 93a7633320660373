namespace Mesh.Proxy.Resilience;

/// <summary>How one try ended, as passive health sees it.</summary>
internal enum Outcome
{
    Success,

    /// <summary>A 5xx other than a gateway error.</summary>
    ServerError,

    /// <summary>502/503/504, connect failure, reset or timeout: the endpoint (or the way to it) is failing.</summary>
    GatewayFailure,
}
