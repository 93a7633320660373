using Mesh.Core.Telemetry;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Proxy.Config;
using Mesh.Proxy.Telemetry;
using AnyValue = Mesh.Otlp.Proto.Common.AnyValue;
using KeyValue = Mesh.Otlp.Proto.Common.KeyValue;
using ProtoSpan = Mesh.Otlp.Proto.Trace.Span;

namespace Mesh.Proxy.Tests.Telemetry;

/// <summary>The hand-written OTLP encoder against the generated protobuf parser: every field read back as written.</summary>
public sealed class OtlpEncoderTests
{
    private static readonly string LongPath = "/files/" + new string('x', 300) + "/é";

    private static RequestRecord[] Records() =>
    [
        new()
        {
            TraceId = new TraceId(0x0102030405060708, 0x1112131415161718), SpanId = new SpanId(0x2122232425262728),
            ParentSpanId = new SpanId(0x3132333435363738), Sampled = true, Client = true, Direction = "outbound",
            StartUnixNano = 1_700_000_000_000_000_000, EndUnixNano = 1_700_000_000_012_345_678, Method = "POST",
            Path = "/test.Echo/Unary", HttpRoute = "/test.Echo/{method}", Route = "grpc", Status = 200, GrpcStatus = 14,
            SourceService = "edge", DestinationService = "echo", DestinationEndpoint = "127.0.0.1:5000", RequestBytes = 70_000,
            ResponseBytes = 12, Attempts = 2, UpstreamLatencyMs = 1.23456, EndpointEjected = true, Mtls = true,
            PeerIdentity = "spiffe://mesh/ns/default/sa/edge", ResponseFlags = "URX", Protocol = "HTTP/2",
        },
        new()
        {
            TraceId = new TraceId(9, 10), SpanId = new SpanId(11), Sampled = false, Direction = "ingress",
            StartUnixNano = 5, EndUnixNano = 6, Method = "GET", Path = LongPath, Status = 404, SourceService = "edge",
            Error = "no route", Protocol = "HTTP/1.1",
        },
        new()
        {
            TraceId = new TraceId(1, 2), SpanId = new SpanId(3), Sampled = true, Direction = "inbound",
            StartUnixNano = 100, EndUnixNano = 200, Method = "GET", Path = LongPath, Status = 200, SourceService = "unknown",
            Protocol = "HTTP/1.1",
        },
    ];

    private static Dictionary<string, AnyValue> Attributes(IEnumerable<KeyValue> kvs) => kvs.ToDictionary(kv => kv.Key, kv => kv.Value);

    [Fact]
    public void Traces_ParseBack_WithEveryField()
    {
        using var writer = new ProtoWriter(64); // small: forces the buffer to grow while encoding
        var resource = OtlpEncoder.Resource(new ServiceIdentity { Name = "edge", Version = "v3", InstanceId = "i-1" });

        var count = OtlpEncoder.Traces(writer, resource, Records());

        var request = ExportTraceServiceRequest.Parser.ParseFrom(writer.Written.ToArray());
        Assert.Equal(2, count);
        var rs = Assert.Single(request.ResourceSpans);
        Assert.Equal("edge", Attributes(rs.Resource.Attributes)["service.name"].StringValue);
        Assert.Equal("i-1", Attributes(rs.Resource.Attributes)["service.instance.id"].StringValue);
        var scope = Assert.Single(rs.ScopeSpans);
        Assert.Equal("mesh.proxy", scope.Scope.Name);
        Assert.Equal(2, scope.Spans.Count);

        var s = scope.Spans[0];
        Assert.Equal(Convert.FromHexString("01020304050607081112131415161718"), s.TraceId.ToByteArray());
        Assert.Equal(Convert.FromHexString("2122232425262728"), s.SpanId.ToByteArray());
        Assert.Equal(Convert.FromHexString("3132333435363738"), s.ParentSpanId.ToByteArray());
        Assert.Equal("POST /test.Echo/{method}", s.Name);
        Assert.Equal(ProtoSpan.Types.SpanKind.Client, s.Kind);
        Assert.Equal(1_700_000_000_000_000_000UL, s.StartTimeUnixNano);
        Assert.Equal(1_700_000_000_012_345_678UL, s.EndTimeUnixNano);
        Assert.Equal(0x101u, s.Flags);
        Assert.Equal(Mesh.Otlp.Proto.Trace.Status.Types.StatusCode.Error, s.Status.Code);
        Assert.Equal("grpc-status 14", s.Status.Message);
        var a = Attributes(s.Attributes);
        Assert.Equal("outbound", a[MeshAttributes.Direction].StringValue);
        Assert.Equal("echo", a[MeshAttributes.DestinationService].StringValue);
        Assert.Equal("127.0.0.1:5000", a[MeshAttributes.DestinationEndpoint].StringValue);
        Assert.Equal("grpc", a[MeshAttributes.Route].StringValue);
        Assert.Equal("/test.Echo/{method}", a["http.route"].StringValue);
        Assert.Equal("2", a["network.protocol.version"].StringValue);
        Assert.Equal(200, a["http.response.status_code"].IntValue);
        Assert.Equal(14, a["rpc.grpc.status_code"].IntValue);
        Assert.Equal(70_000, a[MeshAttributes.RequestBytes].IntValue);
        Assert.Equal(2, a[MeshAttributes.Attempts].IntValue);
        Assert.Equal(1.235, a[MeshAttributes.UpstreamLatencyMs].DoubleValue);
        Assert.True(a[MeshAttributes.EndpointEjected].BoolValue);
        Assert.True(a[MeshAttributes.Mtls].BoolValue);
        Assert.Equal("spiffe://mesh/ns/default/sa/edge", a[MeshAttributes.PeerIdentity].StringValue);
        Assert.Equal("URX", a[MeshAttributes.ResponseFlags].StringValue);
        Assert.False(a.ContainsKey(MeshAttributes.SourceVersion));

        var plain = scope.Spans[1];
        Assert.Equal("GET " + LongPath, plain.Name);
        Assert.Equal(ProtoSpan.Types.SpanKind.Server, plain.Kind);
        Assert.True(plain.ParentSpanId.IsEmpty);
        Assert.Null(plain.Status);
        Assert.Equal(LongPath, Attributes(plain.Attributes)["url.path"].StringValue);
    }

    [Fact]
    public void Logs_OnePerRequest_WithSeverityBodyAndIds()
    {
        using var writer = new ProtoWriter(64);
        var resource = OtlpEncoder.Resource(new ServiceIdentity { Name = "edge" });

        OtlpEncoder.Logs(writer, resource, Records());

        var request = ExportLogsServiceRequest.Parser.ParseFrom(writer.Written.ToArray());
        var logs = Assert.Single(Assert.Single(request.ResourceLogs).ScopeLogs).LogRecords;
        Assert.Equal(3, logs.Count);
        Assert.Equal("POST /test.Echo/Unary 200 12.346ms", logs[0].Body.StringValue);
        Assert.Equal("INFO", logs[0].SeverityText);
        Assert.Equal(Convert.FromHexString("2122232425262728"), logs[0].SpanId.ToByteArray());
        Assert.Equal(1_700_000_000_012_345_678UL, logs[0].TimeUnixNano);
        Assert.Equal(1u, logs[0].Flags);
        Assert.Equal("WARN", logs[1].SeverityText);
        Assert.Equal(Mesh.Otlp.Proto.Logs.SeverityNumber.Warn, logs[1].SeverityNumber);
        Assert.Equal($"GET {LongPath} 404 0ms", logs[1].Body.StringValue);
        Assert.Equal(0u, logs[1].Flags);
        Assert.Equal("inbound", Attributes(logs[2].Attributes)[MeshAttributes.Direction].StringValue);
    }
}
