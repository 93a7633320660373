using Google.Protobuf;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Proto.Common;
using Mesh.Otlp.Proto.Logs;
using Mesh.Otlp.Proto.Resource;
using Mesh.Otlp.Proto.Trace;

namespace Mesh.Ingest.Tests.Validation;

/// <summary>
/// Realistic OTLP requests built as an SDK would send them (after bench/Mesh.Bench/SpanTemplate.cs: services
/// round-robin, HTTP server/client spans with about fifteen attributes), plus events, links and nested values.
/// </summary>
internal static class OtlpRequests
{
    private static readonly string[] Services = ["frontend", "cart", "catalog", "checkout", "payment", "shipping", "inventory", "auth"];
    private static readonly string[] Routes = ["GET /products/{id}", "POST /cart/items", "GET /cart", "POST /checkout", "GET /search"];

    public static ExportTraceServiceRequest Traces(int spans, int spansPerResource = 10, bool extras = true)
    {
        var request = new ExportTraceServiceRequest();
        for (var first = 0; first < spans; first += spansPerResource)
        {
            var service = first / spansPerResource % Services.Length;
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "mesh.proxy", Version = "0.1.0" }, SchemaUrl = "https://opentelemetry.io/schemas/1.26.0" };
            for (var i = first; i < Math.Min(spans, first + spansPerResource); i++)
            {
                scope.Spans.Add(NewSpan(i, service, extras));
            }

            var rs = new ResourceSpans { Resource = NewResource(service) };
            rs.ScopeSpans.Add(scope);
            request.ResourceSpans.Add(rs);
        }

        return request;
    }

    public static ExportLogsServiceRequest Logs(int records, int recordsPerResource = 10)
    {
        var request = new ExportLogsServiceRequest();
        for (var first = 0; first < records; first += recordsPerResource)
        {
            var service = first / recordsPerResource % Services.Length;
            var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "app.logger" } };
            for (var i = first; i < Math.Min(records, first + recordsPerResource); i++)
            {
                var log = new LogRecord
                {
                    TimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)i,
                    ObservedTimeUnixNano = 1_700_000_000_000_000_001UL + (ulong)i,
                    SeverityNumber = i % 3 == 0 ? SeverityNumber.Error : SeverityNumber.Info,
                    SeverityText = i % 3 == 0 ? "Error" : "Information",
                    Body = i % 4 == 0 ? Kv(("message", Str("order placed")), ("order.id", Int(i))) : Str($"request {i} served"),
                    Flags = 1,
                    EventName = i % 5 == 0 ? "order.placed" : string.Empty,
                };
                if (i % 2 == 0)
                {
                    log.TraceId = Id(16, i + 1);
                    log.SpanId = Id(8, i + 1);
                }

                log.Attributes.Add(Attr("http.route", Str(Routes[i % Routes.Length])));
                log.Attributes.Add(Attr("thread.id", Int(i % 8)));
                scope.LogRecords.Add(log);
            }

            var rl = new ResourceLogs { Resource = NewResource(service) };
            rl.ScopeLogs.Add(scope);
            request.ResourceLogs.Add(rl);
        }

        return request;
    }

    public static Span NewSpan(int i, int service = 0, bool extras = true)
    {
        var route = Routes[i % Routes.Length];
        var status = i % 50 == 0 ? 503L : 200L;
        var start = 1_700_000_000_000_000_000UL + ((ulong)i * 1000);
        var span = new Span
        {
            TraceId = Id(16, (i / 5) + 1),
            SpanId = Id(8, i + 1),
            ParentSpanId = i % 5 == 0 ? ByteString.Empty : Id(8, i),
            Name = route,
            Kind = i % 2 == 0 ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client,
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + 1_000_000 + ((ulong)i % 97 * 100_000),
            Flags = 0x101,
            Status = status == 503 ? new Status { Code = Status.Types.StatusCode.Error, Message = "upstream unavailable" } : null,
        };
        span.Attributes.Add(Attr("http.request.method", Str(route[..route.IndexOf(' ', StringComparison.Ordinal)])));
        span.Attributes.Add(Attr("http.route", Str(route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..])));
        span.Attributes.Add(Attr("http.response.status_code", Int(status)));
        span.Attributes.Add(Attr("url.scheme", Str("http")));
        span.Attributes.Add(Attr("server.address", Str(Services[(service + 1) % Services.Length])));
        span.Attributes.Add(Attr("server.port", Int(8080)));
        span.Attributes.Add(Attr("network.protocol.version", Str("1.1")));
        span.Attributes.Add(Attr("user_agent.original", Str("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36")));
        span.Attributes.Add(Attr("mesh.source.service", Str(Services[service])));
        span.Attributes.Add(Attr("mesh.destination.service", Str(Services[(service + 1) % Services.Length])));
        span.Attributes.Add(Attr("mesh.destination.version", Str(i % 10 == 0 ? "v2" : "v1")));
        span.Attributes.Add(Attr("mesh.route", Str($"route-{i % 5}")));
        span.Attributes.Add(Attr("mesh.attempts", Int(1)));
        span.Attributes.Add(Attr("http.request.body.size", Int(256 + (i % 1000))));
        span.Attributes.Add(Attr("http.response.body.size", Int(1024 + (i % 4000))));
        if (extras && i % 3 == 0)
        {
            span.Attributes.Add(Attr("mesh.retry.statuses", new AnyValue { ArrayValue = Array(Int(503), Int(502)) }));
            span.Attributes.Add(Attr("mesh.sampled", new AnyValue { BoolValue = true }));
            span.Attributes.Add(Attr("mesh.weight", new AnyValue { DoubleValue = 0.25 }));
            span.Attributes.Add(Attr("mesh.digest", new AnyValue { BytesValue = Id(4, i) }));
            var ev = new Span.Types.Event { Name = "retry", TimeUnixNano = start + 10 };
            ev.Attributes.Add(Attr("attempt", Int(2)));
            ev.Attributes.Add(Attr("detail", Kv(("reason", Str("503")), ("backoff", new AnyValue { ArrayValue = Array(Str("25ms"), Str("50ms")) }))));
            span.Events.Add(ev);
            var link = new Span.Types.Link { TraceId = Id(16, 999), SpanId = Id(8, 999), TraceState = "vendor=1", Flags = 1 };
            link.Attributes.Add(Attr("link.kind", Str("follows_from")));
            span.Links.Add(link);
        }

        return span;
    }

    public static Resource NewResource(int service)
    {
        var resource = new Resource();
        resource.Attributes.Add(Attr("service.name", Str(Services[service])));
        resource.Attributes.Add(Attr("service.version", Str("1.4.2")));
        resource.Attributes.Add(Attr("service.namespace", Str("shop")));
        resource.Attributes.Add(Attr("host.name", Str($"{Services[service]}-7d9f8c-x2k4q")));
        resource.Attributes.Add(Attr("telemetry.sdk.language", Str("dotnet")));
        return resource;
    }

    /// <summary>A trace request with one resource and scope holding <paramref name="spans"/>.</summary>
    public static ExportTraceServiceRequest Wrap(params Span[] spans)
    {
        var scope = new ScopeSpans();
        scope.Spans.AddRange(spans);
        var rs = new ResourceSpans();
        rs.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(rs);
        return request;
    }

    /// <summary>A logs request with one resource and scope holding <paramref name="records"/>.</summary>
    public static ExportLogsServiceRequest Wrap(params LogRecord[] records)
    {
        var scope = new ScopeLogs();
        scope.LogRecords.AddRange(records);
        var rl = new ResourceLogs();
        rl.ScopeLogs.Add(scope);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(rl);
        return request;
    }

    /// <summary>A minimal valid span.</summary>
    public static Span Minimal() => new() { TraceId = Id(16, 1), SpanId = Id(8, 1), Name = "op" };

    /// <summary><paramref name="length"/> bytes, non-zero unless <paramref name="seed"/> is 0.</summary>
    public static ByteString Id(int length, int seed) =>
        ByteString.CopyFrom([.. Enumerable.Range(0, length).Select(b => seed == 0 ? (byte)0 : (byte)(seed + (b * 31)))]);

    public static KeyValue Attr(string key, AnyValue value) => new() { Key = key, Value = value };

    public static AnyValue Str(string value) => new() { StringValue = value };

    public static AnyValue Int(long value) => new() { IntValue = value };

    public static ArrayValue Array(params AnyValue[] values)
    {
        var array = new ArrayValue();
        array.Values.AddRange(values);
        return array;
    }

    public static AnyValue Kv(params (string Key, AnyValue Value)[] entries)
    {
        var list = new KeyValueList();
        list.Values.AddRange(entries.Select(e => Attr(e.Key, e.Value)));
        return new AnyValue { KvlistValue = list };
    }
}
