namespace Mesh.Core.Facts;

/// <summary>An attribute key <see cref="SpanFacts"/> reads (docs/telemetry-conventions.md and OpenTelemetry semantic conventions).</summary>
public enum FactKey
{
    None,

    // Resource attributes.
    ServiceName,
    ServiceVersion,
    ServiceNamespace,
    Proxy,

    // Span attributes.
    Direction,
    SourceService,
    SourceVersion,
    SourceNamespace,
    DestinationService,
    DestinationVersion,
    DestinationNamespace,
    DestinationEndpoint,
    MeshRoute,
    HttpRoute,
    HttpStatus,
    GrpcStatus,
    BytesIn,
    BytesOut,
    Attempts,
    Mtls,
    ResponseFlags,
    DbSystem,
    ServerAddress,
    ServerPort,
    PeerService,
}

/// <summary>How a <see cref="FactKey"/>'s value is read: as text, as a whole number, or as a boolean that may also be the text "true".</summary>
public enum FactValue
{
    Text,
    Number,
    Flag,
}
