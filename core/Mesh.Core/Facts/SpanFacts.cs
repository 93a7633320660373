using System.Globalization;
using Mesh.Core.Telemetry;

namespace Mesh.Core.Facts;

/// <summary>
/// What edge extraction needs of one span, and nothing else: its ids, kind, name, times and status, its resource's
/// service, and the attributes of docs/telemetry-conventions.md (proxy spans) and of OpenTelemetry semantic
/// conventions (SDK spans). Read from the model (<see cref="FromModel"/>) or straight from OTLP bytes
/// (<c>Mesh.Otlp.Wire.WireSpanFacts</c>), to equal facts. Small, so it can wait a pairing window in memory.
/// </summary>
public sealed record SpanFacts
{
    public SpanFields Fields { get; internal set; }

    public ResourceFacts Resource { get; internal set; } = ResourceFacts.Unknown;

    public TraceId TraceId => Fields.TraceId;

    public SpanId SpanId => Fields.SpanId;

    public SpanId ParentSpanId => Fields.ParentSpanId;

    public SpanKind Kind => Fields.Kind;

    public string Name => Fields.Name;

    public long StartTimeUnixNano => Fields.StartTimeUnixNano;

    /// <summary>End minus start, never negative, as <see cref="Span.DurationNanos"/>.</summary>
    public long DurationNanos => Math.Max(0, Fields.EndTimeUnixNano - Fields.StartTimeUnixNano);

    public string Service => Resource.Service;

    public string Version => Resource.Version;

    public string Namespace => Resource.Namespace;

    /// <summary>The resource is a mesh proxy, or the span has a <c>mesh.direction</c>.</summary>
    public bool IsProxy { get; internal set; }

    public string? Direction { get; internal set; }

    public string? SourceService { get; internal set; }

    public string? SourceVersion { get; internal set; }

    public string? SourceNamespace { get; internal set; }

    public string? DestinationService { get; internal set; }

    public string? DestinationVersion { get; internal set; }

    public string? DestinationNamespace { get; internal set; }

    public string? DestinationEndpoint { get; internal set; }

    public string? MeshRoute { get; internal set; }

    public string? HttpRoute { get; internal set; }

    public long? HttpStatus { get; internal set; }

    public long? GrpcStatus { get; internal set; }

    public long BytesIn { get; internal set; }

    public long BytesOut { get; internal set; }

    public long Attempts { get; internal set; } = 1;

    public bool Mtls { get; internal set; }

    public string? ResponseFlags { get; internal set; }

    public string? DbSystem { get; internal set; }

    /// <summary>The first <c>server.address</c> or <c>net.peer.name</c>.</summary>
    public string? ServerAddress { get; internal set; }

    public long? ServerPort { get; internal set; }

    public string? PeerService { get; internal set; }

    /// <summary>Failed per the conventions: HTTP 5xx, gRPC non-OK, or status ERROR.</summary>
    public bool IsError => Fields.StatusCode == StatusCode.Error || HttpStatus >= 500 || (GrpcStatus is { } grpc && grpc != 0);

    /// <summary>Reads a model span; <paramref name="resource"/> is its resource's facts when the caller has them already.</summary>
    public static SpanFacts FromModel(Span span, ResourceFacts? resource = null)
    {
        ArgumentNullException.ThrowIfNull(span);
        var builder = new FactsBuilder();
        foreach (var kv in span.Attributes)
        {
            Add(ref builder, FactKeys.OfSpan(kv.Key), kv.Value);
        }

        var fields = new SpanFields(span.TraceId, span.SpanId, span.ParentSpanId, span.Kind, span.Name, span.StartTimeUnixNano, span.EndTimeUnixNano, span.StatusCode);
        return builder.ToSpan(resource ?? ReadResource(span.Resource), fields);
    }

    public static ResourceFacts ReadResource(Telemetry.Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var builder = new FactsBuilder();
        foreach (var kv in resource.Attributes)
        {
            Add(ref builder, FactKeys.OfResource(kv.Key), kv.Value);
        }

        return builder.ToResource();
    }

    /// <summary>One entry of <c>mesh.response_flags</c> (comma-separated) is <paramref name="flag"/>.</summary>
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

    private static void Add(ref FactsBuilder builder, FactKey key, AnyValue value)
    {
        if (!builder.Takes(key))
        {
            return;
        }

        switch (FactKeys.ValueOf(key))
        {
            case FactValue.Number:
                builder.SetNumber(key, Number(value));
                break;
            case FactValue.Flag:
                builder.SetFlag(key, value.Kind == AnyValueKind.Bool ? value.BoolValue : Text(value) == "true");
                break;
            default:
                builder.SetText(key, Text(value));
                break;
        }
    }

    private static string? Text(AnyValue value) =>
        value.Kind == AnyValueKind.String ? value.StringValue : value.Kind == AnyValueKind.Empty ? null : value.ToDisplayString();

    private static long? Number(AnyValue value) => value.Kind switch
    {
        AnyValueKind.Int => value.IntValue,
        AnyValueKind.Double when !double.IsNaN(value.DoubleValue) => (long)value.DoubleValue,
        AnyValueKind.String when long.TryParse(value.StringValue, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };
}
