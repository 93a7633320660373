using Mesh.Core.Telemetry;

namespace Mesh.Testing;

/// <summary>
/// Spans shaped exactly as docs/telemetry-conventions.md says mesh proxies emit them (and as OpenTelemetry SDKs
/// emit client/server spans), for feeding analytics until the proxies land.
/// </summary>
public static class ConventionSpans
{
    private static long _next = Environment.TickCount64 << 16;

    public static TraceId NewTraceId() => new((ulong)Random.Shared.NextInt64() | 1, (ulong)Interlocked.Increment(ref _next));

    public static SpanId NewSpanId() => new(((ulong)Interlocked.Increment(ref _next) * 2654435761UL) | 1);

    public static Resource ProxyResource(string service, string version = "v1", string ns = "default") => new()
    {
        Attributes =
        [
            KeyValue.Of("service.name", service),
            KeyValue.Of("service.version", version),
            KeyValue.Of("service.namespace", ns),
            KeyValue.Of("service.instance.id", $"{service}-proxy-0"),
            KeyValue.Of(MeshAttributes.Proxy, "true"),
        ],
    };

    public static Resource SdkResource(string service, string version = "1.0.0", string ns = "default") => new()
    {
        Attributes = [KeyValue.Of("service.name", service), KeyValue.Of("service.version", version), KeyValue.Of("service.namespace", ns)],
    };

    /// <summary>A request through a proxy: <paramref name="direction"/> is outbound (CLIENT), inbound or ingress (SERVER).</summary>
    public static Span Proxy(
        string direction,
        string source,
        string destination,
        long startUnixNano,
        long durationNanos,
        int status = 200,
        TraceId? traceId = null,
        SpanId? parent = null,
        string sourceVersion = "v1",
        string destinationVersion = "v1",
        string ns = "default",
        string route = "default-route",
        string endpoint = "10.0.0.1:8080",
        bool mtls = true,
        int attempts = 1,
        string? responseFlags = null,
        long requestBytes = 100,
        long responseBytes = 1000)
    {
        var local = direction == "inbound" ? destination : source;
        var localVersion = direction == "inbound" ? destinationVersion : sourceVersion;
        var attributes = new List<KeyValue>
        {
            KeyValue.Of(MeshAttributes.Direction, direction),
            KeyValue.Of(MeshAttributes.SourceService, source),
            KeyValue.Of(MeshAttributes.SourceVersion, sourceVersion),
            KeyValue.Of(MeshAttributes.SourceNamespace, ns),
            KeyValue.Of(MeshAttributes.DestinationService, destination),
            KeyValue.Of(MeshAttributes.DestinationVersion, destinationVersion),
            KeyValue.Of(MeshAttributes.DestinationNamespace, ns),
            KeyValue.Of(MeshAttributes.DestinationEndpoint, endpoint),
            KeyValue.Of(MeshAttributes.Route, route),
            KeyValue.Of("http.request.method", "GET"),
            KeyValue.Of("http.route", "/items/{id}"),
            KeyValue.Of("url.path", "/items/42"),
            KeyValue.Of("http.response.status_code", (long)status),
            KeyValue.Of(MeshAttributes.RequestBytes, requestBytes),
            KeyValue.Of(MeshAttributes.ResponseBytes, responseBytes),
            KeyValue.Of(MeshAttributes.Attempts, (long)attempts),
            KeyValue.Of(MeshAttributes.UpstreamLatencyMs, durationNanos / 1e6),
        };
        if (mtls)
        {
            attributes.Add(KeyValue.Of(MeshAttributes.Mtls, true));
            attributes.Add(KeyValue.Of(MeshAttributes.PeerIdentity, $"spiffe://mesh.local/ns/{ns}/sa/{source}"));
        }

        if (responseFlags is not null)
        {
            attributes.Add(KeyValue.Of(MeshAttributes.ResponseFlags, responseFlags));
        }

        return new Span
        {
            TraceId = traceId ?? NewTraceId(),
            SpanId = NewSpanId(),
            ParentSpanId = parent ?? default,
            Name = "GET /items/{id}",
            Kind = direction == "outbound" ? SpanKind.Client : SpanKind.Server,
            StartTimeUnixNano = startUnixNano,
            EndTimeUnixNano = startUnixNano + durationNanos,
            StatusCode = status >= 500 ? StatusCode.Error : StatusCode.Unset,
            StatusMessage = status >= 500 ? $"upstream answered {status}" : string.Empty,
            Resource = ProxyResource(local, localVersion, ns),
            Scope = new InstrumentationScope { Name = "mesh.proxy" },
            Attributes = attributes,
        };
    }

    /// <summary>An SDK span of <paramref name="service"/> (CLIENT or SERVER), with OpenTelemetry semantic-convention attributes.</summary>
    public static Span Sdk(
        string service,
        SpanKind kind,
        long startUnixNano,
        long durationNanos,
        TraceId traceId,
        SpanId? parent = null,
        int? status = 200,
        bool error = false,
        params KeyValue[] extra)
    {
        var attributes = new List<KeyValue>();
        if (status is { } code)
        {
            attributes.Add(KeyValue.Of("http.response.status_code", (long)code));
        }

        if (kind == SpanKind.Server)
        {
            attributes.Add(KeyValue.Of("http.route", "/api/{id}"));
        }

        attributes.AddRange(extra);
        return new Span
        {
            TraceId = traceId,
            SpanId = NewSpanId(),
            ParentSpanId = parent ?? default,
            Name = kind == SpanKind.Server ? "GET /api/{id}" : "GET",
            Kind = kind,
            StartTimeUnixNano = startUnixNano,
            EndTimeUnixNano = startUnixNano + durationNanos,
            StatusCode = error ? StatusCode.Error : StatusCode.Unset,
            Resource = SdkResource(service),
            Scope = new InstrumentationScope { Name = "app" },
            Attributes = attributes,
        };
    }
}
