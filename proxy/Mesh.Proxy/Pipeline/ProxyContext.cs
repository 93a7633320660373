using Mesh.Proxy.Config;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Runtime;
using Mesh.Proxy.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// One request's way through the stages: what each decided (route, destination, endpoint, faults) and what the
/// telemetry stage reports at the end. One object per request; the snapshot is fixed for the request's lifetime.
/// </summary>
internal sealed class ProxyContext
{
    public ProxyContext(HttpContext http, RuntimeSnapshot snapshot, ListenerConfig listener, long startTimestamp)
    {
        Http = http;
        Snapshot = snapshot;
        Listener = listener;
        StartTimestamp = startTimestamp;
    }

    public HttpContext Http { get; }

    public RuntimeSnapshot Snapshot { get; }

    public ListenerConfig Listener { get; }

    public long StartTimestamp { get; }

    public TraceContext Trace { get; set; }

    public CompiledRoute? Route { get; set; }

    public Destination? Destination { get; set; }

    public EndpointState? Endpoint { get; set; }

    public RequestBody Body { get; set; } = RequestBody.None;

    /// <summary>Who is calling: mTLS peer identity, else the route's source header, else the client address.</summary>
    public string? SourceIdentity { get; set; }

    public string? PeerIdentity { get; set; }

    /// <summary>The policy that refused the request (<c>default-deny</c> when none allowed it).</summary>
    public string? AuthzPolicy { get; set; }

    public ResponseFlags Flags { get; set; }

    /// <summary>"delay", "abort" or "delay,abort".</summary>
    public string? FaultInjected { get; set; }

    public bool EndpointEjected { get; set; }

    public int Attempts { get; set; }

    public double UpstreamLatencyMs { get; set; }

    public long RequestBytes { get; set; }

    public long ResponseBytes { get; set; }

    public int? GrpcStatus { get; set; }

    /// <summary>Why the proxy failed or refused the request (span status message).</summary>
    public string? Error { get; set; }

    /// <summary>Deadline of the whole request (route timeout) linked with the client going away.</summary>
    public CancellationToken Aborted { get; set; }
}
