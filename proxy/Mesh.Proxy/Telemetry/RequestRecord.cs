using Mesh.Core.Telemetry;

namespace Mesh.Proxy.Telemetry;

/// <summary>
/// What the exporter needs about one finished request: plain fields copied off the hot path's context, turned into
/// OTLP attributes later on the exporter's thread.
/// </summary>
internal sealed class RequestRecord
{
    public TraceId TraceId { get; init; }

    public SpanId SpanId { get; init; }

    public SpanId ParentSpanId { get; init; }

    public bool Sampled { get; init; }

    public bool Client { get; init; }

    public string Direction { get; init; } = "";

    public long StartUnixNano { get; init; }

    public long EndUnixNano { get; init; }

    public string Method { get; init; } = "";

    public string Path { get; init; } = "";

    public string? HttpRoute { get; init; }

    public string? Route { get; init; }

    public int Status { get; init; }

    public int? GrpcStatus { get; init; }

    public string SourceService { get; init; } = "";

    public string? SourceVersion { get; init; }

    public string? SourceNamespace { get; init; }

    public string? DestinationService { get; init; }

    public string? DestinationVersion { get; init; }

    public string? DestinationNamespace { get; init; }

    public string? DestinationEndpoint { get; init; }

    public long RequestBytes { get; init; }

    public long ResponseBytes { get; init; }

    public int Attempts { get; init; }

    public double UpstreamLatencyMs { get; init; }

    public string? FaultInjected { get; init; }

    public bool EndpointEjected { get; init; }

    public bool Mtls { get; init; }

    public string? PeerIdentity { get; init; }

    /// <summary>The authorization policy that denied the request (<c>mesh.authz.policy</c>).</summary>
    public string? AuthzPolicy { get; init; }

    public string? ResponseFlags { get; init; }

    public string? Error { get; init; }

    public string? Protocol { get; init; }
}
