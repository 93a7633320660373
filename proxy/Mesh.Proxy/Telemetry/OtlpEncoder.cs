using System.Globalization;
using System.Text.Unicode;
using Google.Protobuf;
using Mesh.Otlp.Proto.Common;
using MeshAttributes = Mesh.Core.Telemetry.MeshAttributes;
using ProtoResource = Mesh.Otlp.Proto.Resource.Resource;

namespace Mesh.Proxy.Telemetry;

/// <summary>
/// Writes request records as OTLP/protobuf ExportTraceServiceRequest and ExportLogsServiceRequest straight into a
/// reused <see cref="ProtoWriter"/> buffer — no message objects, attribute keys pre-encoded — with the attributes
/// of docs/telemetry-conventions.md (names from <see cref="MeshAttributes"/>). Runs on the exporter's thread.
/// Field numbers are those of opentelemetry/proto (trace/v1, logs/v1, common/v1).
/// </summary>
internal static class OtlpEncoder
{
    private static readonly byte[] Scope = new InstrumentationScope { Name = "mesh.proxy", Version = "1.0.0" }.ToByteArray();

    private static readonly byte[] KeyDirection = ProtoWriter.KeyField(MeshAttributes.Direction);
    private static readonly byte[] KeySourceService = ProtoWriter.KeyField(MeshAttributes.SourceService);
    private static readonly byte[] KeySourceVersion = ProtoWriter.KeyField(MeshAttributes.SourceVersion);
    private static readonly byte[] KeySourceNamespace = ProtoWriter.KeyField(MeshAttributes.SourceNamespace);
    private static readonly byte[] KeyDestinationService = ProtoWriter.KeyField(MeshAttributes.DestinationService);
    private static readonly byte[] KeyDestinationVersion = ProtoWriter.KeyField(MeshAttributes.DestinationVersion);
    private static readonly byte[] KeyDestinationNamespace = ProtoWriter.KeyField(MeshAttributes.DestinationNamespace);
    private static readonly byte[] KeyDestinationEndpoint = ProtoWriter.KeyField(MeshAttributes.DestinationEndpoint);
    private static readonly byte[] KeyRoute = ProtoWriter.KeyField(MeshAttributes.Route);
    private static readonly byte[] KeyMethod = ProtoWriter.KeyField("http.request.method");
    private static readonly byte[] KeyHttpRoute = ProtoWriter.KeyField("http.route");
    private static readonly byte[] KeyPath = ProtoWriter.KeyField("url.path");
    private static readonly byte[] KeyProtocol = ProtoWriter.KeyField("network.protocol.version");
    private static readonly byte[] KeyStatus = ProtoWriter.KeyField("http.response.status_code");
    private static readonly byte[] KeyGrpcStatus = ProtoWriter.KeyField("rpc.grpc.status_code");
    private static readonly byte[] KeyRequestBytes = ProtoWriter.KeyField(MeshAttributes.RequestBytes);
    private static readonly byte[] KeyResponseBytes = ProtoWriter.KeyField(MeshAttributes.ResponseBytes);
    private static readonly byte[] KeyAttempts = ProtoWriter.KeyField(MeshAttributes.Attempts);
    private static readonly byte[] KeyUpstreamLatency = ProtoWriter.KeyField(MeshAttributes.UpstreamLatencyMs);
    private static readonly byte[] KeyFaultInjected = ProtoWriter.KeyField(MeshAttributes.FaultInjected);
    private static readonly byte[] KeyEndpointEjected = ProtoWriter.KeyField(MeshAttributes.EndpointEjected);
    private static readonly byte[] KeyMtls = ProtoWriter.KeyField(MeshAttributes.Mtls);
    private static readonly byte[] KeyPeerIdentity = ProtoWriter.KeyField(MeshAttributes.PeerIdentity);
    private static readonly byte[] KeyResponseFlags = ProtoWriter.KeyField(MeshAttributes.ResponseFlags);
    private static readonly byte[] KeyAuthzPolicy = ProtoWriter.KeyField(MeshAttributes.AuthzPolicy);

    private enum Value
    {
        String = 1,
        Bool = 2,
        Int = 3,
        Double = 4,
    }

    /// <summary>The proxy's resource (service.* and mesh.proxy), encoded once per service identity.</summary>
    public static byte[] Resource(Config.ServiceIdentity service)
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
        return resource.ToByteArray();
    }

    /// <summary>One ExportTraceServiceRequest with a span per sampled record; returns the spans written.</summary>
    public static int Traces(ProtoWriter w, byte[] resource, ReadOnlySpan<RequestRecord> records)
    {
        var count = 0;
        var resourceSpans = w.BeginMessage(1);
        w.BytesField(1, resource);
        var scopeSpans = w.BeginMessage(2);
        w.BytesField(1, Scope);
        Span<byte> id = stackalloc byte[16];
        foreach (ref readonly var r in records)
        {
            if (!r.Sampled)
            {
                continue;
            }

            count++;
            var span = w.BeginMessage(2);
            r.TraceId.WriteTo(id);
            w.BytesField(1, id);
            r.SpanId.WriteTo(id);
            w.BytesField(2, id[..8]);
            if (!r.ParentSpanId.IsEmpty)
            {
                r.ParentSpanId.WriteTo(id);
                w.BytesField(4, id[..8]);
            }

            Name(w, r);
            w.VarintField(6, r.Client ? 3u : 2u); // SPAN_KIND_CLIENT / SPAN_KIND_SERVER
            w.Fixed64Field(7, (ulong)r.StartUnixNano);
            w.Fixed64Field(8, (ulong)r.EndUnixNano);
            Attributes(w, 9, r);
            if (IsError(r))
            {
                var status = w.BeginMessage(15);
                if (r.Error is { } error)
                {
                    w.StringField(2, error);
                }
                else
                {
                    StatusMessage(w, r);
                }

                w.VarintField(3, 2); // STATUS_CODE_ERROR
                w.EndMessage(status);
            }

            w.Fixed32Field(16, 0x100u | (r.Sampled ? 1u : 0u));
            w.EndMessage(span);
        }

        w.EndMessage(scopeSpans);
        w.EndMessage(resourceSpans);
        return count;
    }

    /// <summary>One ExportLogsServiceRequest with an access-log record per request.</summary>
    public static void Logs(ProtoWriter w, byte[] resource, ReadOnlySpan<RequestRecord> records)
    {
        var resourceLogs = w.BeginMessage(1);
        w.BytesField(1, resource);
        var scopeLogs = w.BeginMessage(2);
        w.BytesField(1, Scope);
        Span<byte> id = stackalloc byte[16];
        foreach (ref readonly var r in records)
        {
            var (severity, text) = r.Status >= 500 || (r.Status == 0 && r.Error is not null) ? (17u, "ERROR") // SEVERITY_NUMBER_ERROR
                : r.Status >= 400 ? (13u, "WARN") : (9u, "INFO");
            var log = w.BeginMessage(2);
            w.Fixed64Field(1, (ulong)r.EndUnixNano);
            w.VarintField(2, severity);
            w.StringField(3, text);
            var body = w.BeginMessage(5);
            LogBody(w, r);
            w.EndMessage(body);
            Attributes(w, 6, r);
            w.Fixed32Field(8, r.Sampled ? 1u : 0u);
            r.TraceId.WriteTo(id);
            w.BytesField(9, id);
            r.SpanId.WriteTo(id);
            w.BytesField(10, id[..8]);
            w.Fixed64Field(11, (ulong)r.EndUnixNano);
            w.EndMessage(log);
        }

        w.EndMessage(scopeLogs);
        w.EndMessage(resourceLogs);
    }

    private static bool IsError(in RequestRecord r) => r.Status >= 500 || (r.GrpcStatus is { } g && g != 0) || r.ResponseFlags is not null && r.Status >= 400;

    // Short texts are formatted straight into the buffer; the room asked for is an upper bound (3 UTF-8 bytes per
    // char plus the numbers), so the write cannot run out of space.
    private static void Name(ProtoWriter w, in RequestRecord r)
    {
        var target = r.HttpRoute ?? r.Path;
        var start = w.BeginMessage(5);
        Utf8.TryWrite(w.GetSpan((3 * (r.Method.Length + target.Length)) + 8), CultureInfo.InvariantCulture, $"{r.Method} {target}", out var n);
        w.Advance(n);
        w.EndMessage(start);
    }

    private static void StatusMessage(ProtoWriter w, in RequestRecord r)
    {
        var start = w.BeginMessage(2);
        var room = w.GetSpan(32);
        var n = 0;
        _ = r.GrpcStatus is { } g && g != 0
            ? Utf8.TryWrite(room, CultureInfo.InvariantCulture, $"grpc-status {g}", out n)
            : Utf8.TryWrite(room, CultureInfo.InvariantCulture, $"HTTP {r.Status}", out n);
        w.Advance(n);
        w.EndMessage(start);
    }

    private static void LogBody(ProtoWriter w, in RequestRecord r)
    {
        var start = w.BeginMessage((int)Value.String);
        var room = w.GetSpan((3 * (r.Method.Length + r.Path.Length)) + 64);
        Utf8.TryWrite(room, CultureInfo.InvariantCulture, $"{r.Method} {r.Path} {r.Status} {(r.EndUnixNano - r.StartUnixNano) / 1e6:0.###}ms", out var n);
        w.Advance(n);
        w.EndMessage(start);
    }

    private static void Attributes(ProtoWriter w, int field, in RequestRecord r)
    {
        Str(w, field, KeyDirection, r.Direction);
        Str(w, field, KeySourceService, r.SourceService);
        Str(w, field, KeySourceVersion, r.SourceVersion);
        Str(w, field, KeySourceNamespace, r.SourceNamespace);
        Str(w, field, KeyDestinationService, r.DestinationService);
        Str(w, field, KeyDestinationVersion, r.DestinationVersion);
        Str(w, field, KeyDestinationNamespace, r.DestinationNamespace);
        Str(w, field, KeyDestinationEndpoint, r.DestinationEndpoint);
        Str(w, field, KeyRoute, r.Route);
        Str(w, field, KeyMethod, r.Method);
        Str(w, field, KeyHttpRoute, r.HttpRoute);
        Str(w, field, KeyPath, r.Path);
        Str(w, field, KeyProtocol, ProtocolVersion(r.Protocol));
        Int(w, field, KeyStatus, r.Status);
        if (r.GrpcStatus is { } grpc)
        {
            Int(w, field, KeyGrpcStatus, grpc);
        }

        Int(w, field, KeyRequestBytes, r.RequestBytes);
        Int(w, field, KeyResponseBytes, r.ResponseBytes);
        Int(w, field, KeyAttempts, r.Attempts);
        var kv = w.BeginMessage(field);
        w.Raw(KeyUpstreamLatency);
        var value = w.BeginMessage(2);
        w.DoubleField((int)Value.Double, Math.Round(r.UpstreamLatencyMs, 3));
        w.EndMessage(value);
        w.EndMessage(kv);
        Str(w, field, KeyFaultInjected, r.FaultInjected);
        if (r.EndpointEjected)
        {
            True(w, field, KeyEndpointEjected);
        }

        if (r.Mtls)
        {
            True(w, field, KeyMtls);
            Str(w, field, KeyPeerIdentity, r.PeerIdentity);
        }

        Str(w, field, KeyAuthzPolicy, r.AuthzPolicy);
        Str(w, field, KeyResponseFlags, r.ResponseFlags);
    }

    // Kestrel's protocol strings are interned constants: map them without slicing (no allocation).
    private static string? ProtocolVersion(string? protocol) => protocol switch
    {
        null => null,
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/1.0" => "1.0",
        "HTTP/3" => "3",
        _ when protocol.StartsWith("HTTP/", StringComparison.Ordinal) => protocol[5..],
        _ => null,
    };

    private static void Str(ProtoWriter w, int field, byte[] key, string? value)
    {
        if (value is null)
        {
            return;
        }

        var kv = w.BeginMessage(field);
        w.Raw(key);
        var any = w.BeginMessage(2);
        w.StringField((int)Value.String, value);
        w.EndMessage(any);
        w.EndMessage(kv);
    }

    private static void Int(ProtoWriter w, int field, byte[] key, long value)
    {
        var kv = w.BeginMessage(field);
        w.Raw(key);
        var any = w.BeginMessage(2);
        w.VarintField((int)Value.Int, (ulong)value);
        w.EndMessage(any);
        w.EndMessage(kv);
    }

    private static void True(ProtoWriter w, int field, byte[] key)
    {
        var kv = w.BeginMessage(field);
        w.Raw(key);
        var any = w.BeginMessage(2);
        w.VarintField((int)Value.Bool, 1);
        w.EndMessage(any);
        w.EndMessage(kv);
    }

    private static KeyValue Str(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
