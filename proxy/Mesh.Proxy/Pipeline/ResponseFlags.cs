namespace Mesh.Proxy.Pipeline;

/// <summary>Envoy-style response flags (<c>mesh.response_flags</c>): why the proxy answered as it did.</summary>
[Flags]
internal enum ResponseFlags
{
    None = 0,
    NoRoute = 1 << 0,
    NoHealthyUpstream = 1 << 1,
    Overflow = 1 << 2,
    RateLimited = 1 << 3,
    UpstreamTimeout = 1 << 4,
    ConnectFailure = 1 << 5,
    UpstreamReset = 1 << 6,
    RetryExhausted = 1 << 7,
    FaultAbort = 1 << 8,
    FaultDelay = 1 << 9,
    AuthzDenied = 1 << 10,
}
