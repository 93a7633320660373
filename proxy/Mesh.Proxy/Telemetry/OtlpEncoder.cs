using System.Globalization;
using Google.Protobuf;
using MeshAttributes = Mesh.Core.Telemetry.MeshAttributes;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Proto.Common;
using Mesh.Otlp.Proto.Logs;
using Mesh.Otlp.Proto.Trace;
using ProtoResource = Mesh.Otlp.Proto.Resource.Resource;

namespace Mesh.Proxy.Telemetry;

/// <summary>
/// Turns request records into OTLP spans and access-log records with the attributes of
/// docs/telemetry-conventions.md (names from <see cref="MeshAttributes"/>). Runs on the exporter's thread.
/// </summary>
internal static class OtlpEncoder
{
    private static readonly InstrumentationScope Scope = new() { Name = "mesh.proxy", Version = "1.0.0" };

    public static ProtoResource Resource(Config.ServiceIdentity service)
    {
        var resource = new ProtoResource();
        resource.Attributes.Add(Str("service.name", service.Name));
        if (service.Version is { } v)
        {
            resource.Attributes.Add(Str("service.version", v));
        }

        if (service.Namespace is { } ns)
        {
            resource.Attributes.Add(Str("service.namespace", ns));
        }

        resource.Attributes.Add(Str("service.instance.id", service.InstanceId ?? $"{Environment.MachineName}/{Environment.ProcessId}"));
        resource.Attributes.Add(Str(MeshAttributes.Proxy, "true"));
        return resource;
    }

    public static ExportTraceServiceRequest Traces(ProtoResource resource, IEnumerable<RequestRecord> records)
    {
        var scope = new ScopeSpans { Scope = Scope };
        foreach (var r in records)
        {
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(r.TraceId.ToBytes()),
                SpanId = ByteString.CopyFrom(r.SpanId.ToBytes()),
                ParentSpanId = r.ParentSpanId.IsEmpty ? ByteString.Empty : ByteString.CopyFrom(r.ParentSpanId.ToBytes()),
                Name = $"{r.Method} {r.HttpRoute ?? r.Path}",
                Kind = r.Client ? Span.Types.SpanKind.Client : Span.Types.SpanKind.Server,
                StartTimeUnixNano = (ulong)r.StartUnixNano,
                EndTimeUnixNano = (ulong)r.EndUnixNano,
                Flags = 0x100 | (r.Sampled ? 1u : 0u),
            };
            AddAttributes(span.Attributes, r);
            if (IsError(r))
            {
                span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = r.Error ?? StatusMessage(r) };
            }

            scope.Spans.Add(span);
        }

        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(new ResourceSpans { Resource = resource, ScopeSpans = { scope } });
        return request;
    }

    public static ExportLogsServiceRequest Logs(ProtoResource resource, IEnumerable<RequestRecord> records)
    {
        var scope = new ScopeLogs { Scope = Scope };
        foreach (var r in records)
        {
            var (severity, text) = r.Status >= 500 || (r.Status == 0 && r.Error is not null) ? (SeverityNumber.Error, "ERROR")
                : r.Status >= 400 ? (SeverityNumber.Warn, "WARN") : (SeverityNumber.Info, "INFO");
            var durationMs = (r.EndUnixNano - r.StartUnixNano) / 1e6;
            var log = new LogRecord
            {
                TimeUnixNano = (ulong)r.EndUnixNano,
                ObservedTimeUnixNano = (ulong)r.EndUnixNano,
                SeverityNumber = severity,
                SeverityText = text,
                Body = new AnyValue { StringValue = string.Create(CultureInfo.InvariantCulture, $"{r.Method} {r.Path} {r.Status} {durationMs:0.###}ms") },
                TraceId = ByteString.CopyFrom(r.TraceId.ToBytes()),
                SpanId = ByteString.CopyFrom(r.SpanId.ToBytes()),
                Flags = r.Sampled ? 1u : 0u,
            };
            AddAttributes(log.Attributes, r);
            scope.LogRecords.Add(log);
        }

        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(new ResourceLogs { Resource = resource, ScopeLogs = { scope } });
        return request;
    }

    private static bool IsError(RequestRecord r) => r.Status >= 500 || (r.GrpcStatus is { } g && g != 0) || r.ResponseFlags is not null && r.Status >= 400;

    private static string StatusMessage(RequestRecord r) =>
        r.GrpcStatus is { } g && g != 0 ? $"grpc-status {g}" : string.Create(CultureInfo.InvariantCulture, $"HTTP {r.Status}");

    private static void AddAttributes(Google.Protobuf.Collections.RepeatedField<KeyValue> a, RequestRecord r)
    {
        a.Add(Str(MeshAttributes.Direction, r.Direction));
        a.Add(Str(MeshAttributes.SourceService, r.SourceService));
        Opt(a, MeshAttributes.SourceVersion, r.SourceVersion);
        Opt(a, MeshAttributes.SourceNamespace, r.SourceNamespace);
        Opt(a, MeshAttributes.DestinationService, r.DestinationService);
        Opt(a, MeshAttributes.DestinationVersion, r.DestinationVersion);
        Opt(a, MeshAttributes.DestinationNamespace, r.DestinationNamespace);
        Opt(a, MeshAttributes.DestinationEndpoint, r.DestinationEndpoint);
        Opt(a, MeshAttributes.Route, r.Route);
        a.Add(Str("http.request.method", r.Method));
        Opt(a, "http.route", r.HttpRoute);
        a.Add(Str("url.path", r.Path));
        Opt(a, "network.protocol.version", r.Protocol is { } p && p.StartsWith("HTTP/", StringComparison.Ordinal) ? p[5..] : null);
        a.Add(Int("http.response.status_code", r.Status));
        if (r.GrpcStatus is { } grpc)
        {
            a.Add(Int("rpc.grpc.status_code", grpc));
        }

        a.Add(Int(MeshAttributes.RequestBytes, r.RequestBytes));
        a.Add(Int(MeshAttributes.ResponseBytes, r.ResponseBytes));
        a.Add(Int(MeshAttributes.Attempts, r.Attempts));
        a.Add(new KeyValue { Key = MeshAttributes.UpstreamLatencyMs, Value = new AnyValue { DoubleValue = Math.Round(r.UpstreamLatencyMs, 3) } });
        Opt(a, MeshAttributes.FaultInjected, r.FaultInjected);
        if (r.EndpointEjected)
        {
            a.Add(new KeyValue { Key = MeshAttributes.EndpointEjected, Value = new AnyValue { BoolValue = true } });
        }

        if (r.Mtls)
        {
            a.Add(new KeyValue { Key = MeshAttributes.Mtls, Value = new AnyValue { BoolValue = true } });
            Opt(a, MeshAttributes.PeerIdentity, r.PeerIdentity);
        }

        Opt(a, MeshAttributes.AuthzPolicy, r.AuthzPolicy);
        Opt(a, MeshAttributes.ResponseFlags, r.ResponseFlags);
    }

    private static void Opt(Google.Protobuf.Collections.RepeatedField<KeyValue> a, string key, string? value)
    {
        if (value is not null)
        {
            a.Add(Str(key, value));
        }
    }

    private static KeyValue Str(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Int(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
}
