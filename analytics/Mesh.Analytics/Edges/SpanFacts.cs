using Mesh.Core.Telemetry;

namespace Mesh.Analytics.Edges;

/// <summary>
/// What edge extraction needs from one span, read in one pass over its attributes (and its resource's):
/// the conventions of docs/telemetry-conventions.md for proxy spans, OpenTelemetry semantic conventions for SDK spans.
/// </summary>
internal sealed class SpanFacts
{
    public string Service { get; private set; } = "unknown_service";

    public string Version { get; private set; } = string.Empty;

    public string Namespace { get; private set; } = string.Empty;

    public bool IsProxy { get; private set; }

    public string? Direction { get; private set; }

    public string? SourceService { get; private set; }

    public string? SourceVersion { get; private set; }

    public string? SourceNamespace { get; private set; }

    public string? DestinationService { get; private set; }

    public string? DestinationVersion { get; private set; }

    public string? DestinationNamespace { get; private set; }

    public string? DestinationEndpoint { get; private set; }

    public string? MeshRoute { get; private set; }

    public string? HttpRoute { get; private set; }

    public long? HttpStatus { get; private set; }

    public long? GrpcStatus { get; private set; }

    public long BytesIn { get; private set; }

    public long BytesOut { get; private set; }

    public long Attempts { get; private set; } = 1;

    public bool Mtls { get; private set; }

    public string? ResponseFlags { get; private set; }

    public string? DbSystem { get; private set; }

    public string? ServerAddress { get; private set; }

    public long? ServerPort { get; private set; }

    public string? PeerService { get; private set; }

    public static SpanFacts Read(Span span)
    {
        var facts = new SpanFacts();
        foreach (var kv in span.Resource.Attributes)
        {
            facts.ReadResource(kv);
        }

        foreach (var kv in span.Attributes)
        {
            facts.ReadSpan(kv);
        }

        facts.IsProxy |= facts.Direction is not null;
        return facts;
    }

    /// <summary>Failed per the conventions: HTTP 5xx, gRPC non-OK, or status ERROR.</summary>
    public bool IsError(Span span) =>
        span.StatusCode == StatusCode.Error || HttpStatus >= 500 || (GrpcStatus is { } grpc && grpc != 0);

    public bool HasFlag(string flag)
    {
        if (ResponseFlags is null)
        {
            return false;
        }

        foreach (var part in ResponseFlags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == flag)
            {
                return true;
            }
        }

        return false;
    }

    private void ReadResource(KeyValue kv)
    {
        switch (kv.Key)
        {
            case "service.name" when Text(kv.Value) is { Length: > 0 } name:
                Service = name;
                break;
            case "service.version":
                Version = Text(kv.Value) ?? string.Empty;
                break;
            case "service.namespace":
                Namespace = Text(kv.Value) ?? string.Empty;
                break;
            case MeshAttributes.Proxy:
                IsProxy = Text(kv.Value) == "true";
                break;
        }
    }

    private void ReadSpan(KeyValue kv)
    {
        switch (kv.Key)
        {
            case MeshAttributes.Direction: Direction = Text(kv.Value); break;
            case MeshAttributes.SourceService: SourceService = Text(kv.Value); break;
            case MeshAttributes.SourceVersion: SourceVersion = Text(kv.Value); break;
            case MeshAttributes.SourceNamespace: SourceNamespace = Text(kv.Value); break;
            case MeshAttributes.DestinationService: DestinationService = Text(kv.Value); break;
            case MeshAttributes.DestinationVersion: DestinationVersion = Text(kv.Value); break;
            case MeshAttributes.DestinationNamespace: DestinationNamespace = Text(kv.Value); break;
            case MeshAttributes.DestinationEndpoint: DestinationEndpoint = Text(kv.Value); break;
            case MeshAttributes.Route: MeshRoute = Text(kv.Value); break;
            case "http.route": HttpRoute = Text(kv.Value); break;
            case "http.response.status_code" or "http.status_code": HttpStatus = Number(kv.Value); break;
            case "rpc.grpc.status_code": GrpcStatus = Number(kv.Value); break;
            case MeshAttributes.RequestBytes: BytesIn = Math.Max(0, Number(kv.Value) ?? 0); break;
            case MeshAttributes.ResponseBytes: BytesOut = Math.Max(0, Number(kv.Value) ?? 0); break;
            case MeshAttributes.Attempts: Attempts = Math.Max(1, Number(kv.Value) ?? 1); break;
            case MeshAttributes.Mtls: Mtls = kv.Value.Kind == AnyValueKind.Bool ? kv.Value.BoolValue : Text(kv.Value) == "true"; break;
            case MeshAttributes.ResponseFlags: ResponseFlags = Text(kv.Value); break;
            case "db.system" or "db.system.name": DbSystem = Text(kv.Value); break;
            case "server.address" or "net.peer.name": ServerAddress ??= Text(kv.Value); break;
            case "server.port" or "net.peer.port": ServerPort ??= Number(kv.Value); break;
            case "peer.service": PeerService = Text(kv.Value); break;
        }
    }

    private static string? Text(AnyValue value) => value.Kind == AnyValueKind.String ? value.StringValue : value.Kind == AnyValueKind.Empty ? null : value.ToDisplayString();

    private static long? Number(AnyValue value) => value.Kind switch
    {
        AnyValueKind.Int => value.IntValue,
        AnyValueKind.Double when !double.IsNaN(value.DoubleValue) => (long)value.DoubleValue,
        AnyValueKind.String when long.TryParse(value.StringValue, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };
}
