using Google.Protobuf;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Proto.Common;
using Mesh.Otlp.Wire;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Spans;
using Xunit;
using ProtoAnyValue = Mesh.Otlp.Proto.Common.AnyValue;
using ProtoKeyValue = Mesh.Otlp.Proto.Common.KeyValue;
using ProtoResource = Mesh.Otlp.Proto.Resource.Resource;
using ProtoSpan = Mesh.Otlp.Proto.Trace.Span;
using ProtoStatus = Mesh.Otlp.Proto.Trace.Status;
using ResourceSpans = Mesh.Otlp.Proto.Trace.ResourceSpans;
using ScopeSpans = Mesh.Otlp.Proto.Trace.ScopeSpans;
using Span = Mesh.Core.Telemetry.Span;

namespace Mesh.Storage.Tests.ClickHouse;

/// <summary>
/// The wire path (OTLP bytes → rows, no model) must write exactly the bytes the model path writes: both paths land
/// in the same tables and are read by the same readers. Every case compares the two byte for byte.
/// </summary>
public class OtlpSpanRowsTests
{
    [Fact]
    public void Rich_spans_encode_as_the_model_does()
    {
        var traceId = TestTelemetry.NewTraceId();
        var spans = new List<Span> { TestTelemetry.RichSpan(traceId), TestTelemetry.RichSpan(traceId, "cart"), TestTelemetry.NewSpan(traceId, "cart", "GET /", 0, 5) };
        AssertSameRows(OtlpSpans.ToRequest(spans).ToByteArray(), expectWalk: true);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_requests_encode_as_the_model_does(int seed)
    {
        var request = new OtlpTestRequests.RandomRequests(seed).Request();
        AssertSameRows(request.ToByteArray(), expectWalk: true);
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 0; seed < 300; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Fact]
    public void Invalid_utf8_decodes_with_replacement_characters_as_the_model_does()
    {
        var span = OtlpTestRequests.Valid();
        span.Name = "NAME";
        span.TraceState = "STATE";
        span.Attributes.Add(new ProtoKeyValue { Key = "KEY1", Value = new ProtoAnyValue { StringValue = "VALUE" } });
        var request = OtlpTestRequests.Wrap(span, new ProtoResource { Attributes = { new ProtoKeyValue { Key = "service.name", Value = new ProtoAnyValue { StringValue = "SVC" } } } });
        var bytes = request.ToByteArray();
        OtlpTestRequests.Replace(bytes, "NAME"u8, [0xFF, 0x41, 0xC3, 0x28]);
        OtlpTestRequests.Replace(bytes, "STATE"u8, [0xE2, 0x82, 0x41, 0x42, 0x43]);
        OtlpTestRequests.Replace(bytes, "KEY1"u8, [0x4B, 0xED, 0xA0, 0x80]);
        OtlpTestRequests.Replace(bytes, "VALUE"u8, [0xF0, 0x9F, 0x98, 0x41, 0x80]);
        OtlpTestRequests.Replace(bytes, "SVC"u8, [0xC0, 0xAF, 0x41]);
        AssertSameRows(bytes, expectWalk: true);
    }

    [Fact]
    public void Absent_resource_scope_status_and_values_encode_as_the_model_does()
    {
        var span = OtlpTestRequests.Valid();
        span.Attributes.Add(new ProtoKeyValue { Key = "no-value" });
        span.Attributes.Add(new ProtoKeyValue { Key = "empty-value", Value = new ProtoAnyValue() });
        span.Attributes.Add(new ProtoKeyValue { Key = "empty-array", Value = new ProtoAnyValue { ArrayValue = new ArrayValue() } });
        span.Attributes.Add(new ProtoKeyValue { Key = "empty-kv", Value = new ProtoAnyValue { KvlistValue = new KeyValueList() } });
        span.Links.Add(new ProtoSpan.Types.Link());
        span.Events.Add(new ProtoSpan.Types.Event());
        var request = new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { span } } } } } };
        AssertSameRows(request.ToByteArray(), expectWalk: true);
    }

    [Fact]
    public void Extremes_encode_as_the_model_does()
    {
        var span = OtlpTestRequests.Valid();
        span.StartTimeUnixNano = ulong.MaxValue;
        span.EndTimeUnixNano = 1;
        span.Kind = (ProtoSpan.Types.SpanKind)(-7);
        span.Status = new ProtoStatus { Code = (ProtoStatus.Types.StatusCode)int.MaxValue, Message = "m" };
        span.DroppedAttributesCount = uint.MaxValue;
        span.ParentSpanId = ByteString.CopyFrom(new byte[8]);
        span.Flags = uint.MaxValue;
        foreach (var d in new[] { 0.0, -0.0, 1.0, -1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, 1e21, 123456789012345680.0, 0.1 })
        {
            span.Attributes.Add(new ProtoKeyValue { Key = "d", Value = new ProtoAnyValue { DoubleValue = d } });
        }

        foreach (var i in new[] { 0L, -1L, long.MinValue, long.MaxValue })
        {
            span.Attributes.Add(new ProtoKeyValue { Key = "i", Value = new ProtoAnyValue { IntValue = i } });
        }

        span.Events.Add(new ProtoSpan.Types.Event { TimeUnixNano = ulong.MaxValue, Name = "e", DroppedAttributesCount = 3 });
        AssertSameRows(OtlpTestRequests.Wrap(span, resource: null).ToByteArray(), expectWalk: true);
    }

    [Fact]
    public async Task A_request_the_walk_declines_goes_through_the_model_with_the_same_rows()
    {
        // Two resource fields in one ResourceSpans: protobuf merges them, which the walk leaves to Google.Protobuf.
        var first = OtlpTestRequests.Wrap(OtlpTestRequests.Valid(), new ProtoResource { Attributes = { new ProtoKeyValue { Key = "service.name", Value = new ProtoAnyValue { StringValue = "a" } } } });
        var extra = new ResourceSpans { Resource = new ProtoResource { Attributes = { new ProtoKeyValue { Key = "host.name", Value = new ProtoAnyValue { StringValue = "h" } } } } };
        var resourceSpans = first.ResourceSpans[0].ToByteArray().Concat(extra.ToByteArray()).ToArray();
        var request = new byte[] { 0x0A }.Concat(OtlpTestRequests.Varint(resourceSpans.Length)).Concat(resourceSpans).ToArray();
        Assert.False(OtlpTraceWire.TryWalk(request, new Counter()));
        Assert.True(OtlpTraceWire.TryCountSpans(request, out var spanFields));
        Assert.Equal(1, spanFields);

        using var spans = new RowBinaryWriter(1024);
        using var index = new RowBinaryWriter(1024);
        using (var content = new OtlpSpansContent([request, OtlpTestRequests.Wrap(OtlpTestRequests.Valid(), resource: null).ToByteArray()], index, gzip: false))
        {
            using var stream = new MemoryStream();
            await content.CopyToAsync(stream);
            spans.WriteRaw(stream.ToArray());
            Assert.Equal(2, content.SpanCount);
        }

        var (modelSpans, modelIndex) = ViaModel(request);
        var (secondSpans, secondIndex) = ViaModel(OtlpTestRequests.Wrap(OtlpTestRequests.Valid(), resource: null).ToByteArray());
        Assert.Equal(modelSpans.Concat(secondSpans).ToArray(), spans.WrittenMemory.ToArray());
        Assert.Equal(modelIndex.Concat(secondIndex).ToArray(), index.WrittenMemory.ToArray());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_quick_count_counts_what_the_model_holds(int seed)
    {
        var request = new OtlpTestRequests.RandomRequests(seed).Request();
        Assert.True(OtlpTraceWire.TryCountSpans(request.ToByteArray(), out var count));
        Assert.Equal(request.ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => s.Spans.Count)), count);
    }

    [Fact]
    public async Task A_request_that_does_not_parse_is_left_out_and_reported()
    {
        byte[] garbage = [0x0A, 0x05, 0x12, 0x03, 0x12, 0x01, 0xFF];
        Assert.True(OtlpTraceWire.TryCountSpans(garbage, out _));
        using var index = new RowBinaryWriter(1024);
        using var content = new OtlpSpansContent([garbage, OtlpTestRequests.Wrap(OtlpTestRequests.Valid(), resource: null).ToByteArray()], index, gzip: false);
        using var stream = new MemoryStream();
        await content.CopyToAsync(stream);
        Assert.Equal(1, content.SkippedRequests);
        Assert.Equal(1, content.SpanCount);
        Assert.Equal(ViaModel(OtlpTestRequests.Wrap(OtlpTestRequests.Valid(), resource: null).ToByteArray()).Spans, stream.ToArray());
    }

    [Fact]
    public void The_walk_declines_what_protobuf_would_merge_or_what_is_malformed()
    {
        var good = OtlpTestRequests.Wrap(OtlpTestRequests.Valid(), resource: null).ToByteArray();
        var counter = new Counter();
        Assert.True(OtlpTraceWire.TryWalk(good, counter));
        Assert.Equal(1, counter.Spans);
        for (var cut = 1; cut < good.Length; cut++)
        {
            // Every truncation is malformed somewhere, or a shorter but valid message the model reads the same way.
            var truncated = good.AsSpan(0, cut).ToArray();
            if (OtlpTraceWire.TryWalk(truncated, new Counter()))
            {
                AssertSameRows(truncated, expectWalk: true);
            }
        }

        var shortId = OtlpTestRequests.Valid();
        shortId.TraceId = ByteString.CopyFrom(new byte[15]);
        Assert.False(OtlpTraceWire.TryWalk(OtlpTestRequests.Wrap(shortId, null).ToByteArray(), new Counter()));
    }

    private static void AssertSameRows(byte[] request, bool expectWalk)
    {
        using var spans = new RowBinaryWriter(1024);
        using var index = new RowBinaryWriter(1024);
        using var rows = new OtlpSpanRows(spans, index);
        Assert.Equal(expectWalk, OtlpTraceWire.TryWalk(request, rows));
        var (modelSpans, modelIndex) = ViaModel(request);
        Assert.Equal(modelSpans, spans.WrittenMemory.ToArray());
        Assert.Equal(modelIndex, index.WrittenMemory.ToArray());
    }

    private static (byte[] Spans, byte[] Index) ViaModel(byte[] request)
    {
        var model = new List<Span>();
        OtlpSpans.ToModel(ExportTraceServiceRequest.Parser.ParseFrom(request), model);
        using var spans = new RowBinaryWriter(1024);
        using var index = new RowBinaryWriter(1024);
        using var spanEncoder = new SpanRowEncoder();
        using var indexEncoder = new TraceIndexRowEncoder();
        foreach (var span in model)
        {
            spanEncoder.Encode(spans, span);
            indexEncoder.Encode(index, span);
        }

        return (spans.WrittenMemory.ToArray(), index.WrittenMemory.ToArray());
    }

    private sealed class Counter : IWireSpanVisitor
    {
        public int Spans { get; private set; }

        public void OnResource(ReadOnlySpan<byte> resource, ReadOnlySpan<byte> schemaUrl)
        {
        }

        public void OnScope(ReadOnlySpan<byte> scope, ReadOnlySpan<byte> schemaUrl)
        {
        }

        public void OnSpan(scoped in WireSpan span) => Spans++;
    }
}
