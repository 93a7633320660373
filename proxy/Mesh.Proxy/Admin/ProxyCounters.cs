using System.Collections.Concurrent;

namespace Mesh.Proxy.Admin;

/// <summary>
/// Every counter the proxy keeps: RED per route/cluster plus internals (retries, budget, breakers, ejections,
/// faults, mirrors, rate limits). One instance for the process; components get it injected.
/// </summary>
internal sealed class ProxyCounters
{
    private readonly ConcurrentDictionary<(string Route, string Cluster), RouteMetrics> _routes = new();
    private readonly ConcurrentDictionary<(string Cluster, string Reason), Counter> _ejections = new();
    private long _active;

    public Counter NoRoute { get; } = new();

    public Counter Retries { get; } = new();

    public Counter RetryBudgetExhausted { get; } = new();

    public Counter CircuitOpen { get; } = new();

    public Counter NoHealthyUpstream { get; } = new();

    public Counter PanicPicks { get; } = new();

    public Counter UpstreamTimeouts { get; } = new();

    public Counter ConnectFailures { get; } = new();

    public Counter UpstreamResets { get; } = new();

    public Counter RateLimited { get; } = new();

    public Counter FaultDelays { get; } = new();

    public Counter FaultAborts { get; } = new();

    public Counter Mirrored { get; } = new();

    public Counter MirrorFailures { get; } = new();

    public Counter MirrorSkippedBody { get; } = new();

    public Counter EjectionsSkipped { get; } = new();

    public Counter HealthCheckFailures { get; } = new();

    public Counter ConfigReloads { get; } = new();

    public Counter ConfigReloadFailures { get; } = new();

    /// <summary>Requests refused by an authorization policy (or default-deny).</summary>
    public Counter AuthzDenied { get; } = new();

    /// <summary>Plaintext connections refused by a STRICT inbound listener.</summary>
    public Counter MtlsPlaintextRefused { get; } = new();

    /// <summary>Inbound TLS handshakes whose client certificate was missing or not from the mesh.</summary>
    public Counter MtlsClientRefused { get; } = new();

    /// <summary>Outbound servers refused: not chaining to the mesh root, or proving another identity.</summary>
    public Counter MtlsServerRefused { get; } = new();

    /// <summary>Workload certificates swapped in (rotation).</summary>
    public Counter CertificateRotations { get; } = new();

    /// <summary>Mesh-mTLS connection pools replaced after a rotation (their old connections drain, then close).</summary>
    public Counter UpstreamPoolRenewals { get; } = new();

    public Counter DownstreamBytesIn { get; } = new();

    public Counter DownstreamBytesOut { get; } = new();

    public long Active => Interlocked.Read(ref _active);

    public void RequestStarted() => Interlocked.Increment(ref _active);

    public void RequestFinished() => Interlocked.Decrement(ref _active);

    public RouteMetrics Route(string route, string cluster) =>
        _routes.TryGetValue((route, cluster), out var m) ? m : _routes.GetOrAdd((route, cluster), k => new RouteMetrics(k.Route, k.Cluster));

    public IEnumerable<RouteMetrics> Routes => _routes.Values;

    public void Ejection(string cluster, string reason) =>
        _ejections.GetOrAdd((cluster, reason), _ => new Counter()).Increment();

    public IEnumerable<(string Cluster, string Reason, long Count)> Ejections =>
        _ejections.Select(kv => (kv.Key.Cluster, kv.Key.Reason, kv.Value.Value));
}
