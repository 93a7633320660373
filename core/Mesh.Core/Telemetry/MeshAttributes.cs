namespace Mesh.Core.Telemetry;

/// <summary>
/// Attribute names on the spans and access logs a mesh proxy emits: the contract between the data plane
/// (which writes them) and analytics (which builds the application map from them). OpenTelemetry semantic
/// convention names are used where one exists; the <c>mesh.*</c> names carry what only a mesh knows.
/// docs/telemetry-conventions.md says which span carries which, and how an edge is counted once.
/// </summary>
public static class MeshAttributes
{
    // Resource attributes of a proxy's telemetry (besides service.name / service.version / service.namespace /
    // service.instance.id of the service it sits beside).

    /// <summary>Resource attribute: "true" on telemetry a mesh proxy emitted (not the application's own SDK).</summary>
    public const string Proxy = "mesh.proxy";

    /// <summary>"inbound" (sidecar in front of the local service), "outbound" (the app's calls out) or "ingress".</summary>
    public const string Direction = "mesh.direction";

    public const string SourceService = "mesh.source.service";
    public const string SourceVersion = "mesh.source.version";
    public const string SourceNamespace = "mesh.source.namespace";

    public const string DestinationService = "mesh.destination.service";
    public const string DestinationVersion = "mesh.destination.version";
    public const string DestinationNamespace = "mesh.destination.namespace";

    /// <summary>The upstream endpoint the request went to, as "address:port".</summary>
    public const string DestinationEndpoint = "mesh.destination.endpoint";

    /// <summary>Name of the route that matched.</summary>
    public const string Route = "mesh.route";

    /// <summary>Tries made (1 when no retry happened).</summary>
    public const string Attempts = "mesh.attempts";

    /// <summary>Time from sending the last try upstream to its response headers, in milliseconds (double).</summary>
    public const string UpstreamLatencyMs = "mesh.upstream.latency_ms";

    /// <summary>"delay", "abort" or "delay,abort" when fault injection acted on the request; absent otherwise.</summary>
    public const string FaultInjected = "mesh.fault.injected";

    /// <summary>true when the endpoint was chosen although ejected (every endpoint was ejected, or panic mode).</summary>
    public const string EndpointEjected = "mesh.endpoint.ejected";

    /// <summary>true when the hop was mutual TLS.</summary>
    public const string Mtls = "mesh.mtls";

    /// <summary>The verified peer identity (SPIFFE URI) of an mTLS hop.</summary>
    public const string PeerIdentity = "mesh.tls.peer_identity";

    /// <summary>
    /// Envoy-style response flags, comma separated: NR no route, UH no healthy upstream, UO circuit open /
    /// overflow, RL rate limited, UT upstream timeout, UF upstream connect failure, UC upstream reset,
    /// URX retry limit or budget exhausted, FI fault abort, DI fault delay, UAEX denied by authorization.
    /// </summary>
    public const string ResponseFlags = "mesh.response_flags";

    /// <summary>Name of the AuthorizationPolicy that denied the request.</summary>
    public const string AuthzPolicy = "mesh.authz.policy";

    /// <summary>Request bytes received from the downstream (long).</summary>
    public const string RequestBytes = "http.request.body.size";

    /// <summary>Response bytes sent to the downstream (long).</summary>
    public const string ResponseBytes = "http.response.body.size";
}
