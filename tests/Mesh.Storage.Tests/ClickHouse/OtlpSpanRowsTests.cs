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
        var request = new RandomRequests(seed).Request();
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
        var span = Valid();
        span.Name = "NAME";
        span.TraceState = "STATE";
        span.Attributes.Add(new ProtoKeyValue { Key = "KEY1", Value = new ProtoAnyValue { StringValue = "VALUE" } });
        var request = Wrap(span, new ProtoResource { Attributes = { new ProtoKeyValue { Key = "service.name", Value = new ProtoAnyValue { StringValue = "SVC" } } } });
        var bytes = request.ToByteArray();
        Replace(bytes, "NAME"u8, [0xFF, 0x41, 0xC3, 0x28]);
        Replace(bytes, "STATE"u8, [0xE2, 0x82, 0x41, 0x42, 0x43]);
        Replace(bytes, "KEY1"u8, [0x4B, 0xED, 0xA0, 0x80]);
        Replace(bytes, "VALUE"u8, [0xF0, 0x9F, 0x98, 0x41, 0x80]);
        Replace(bytes, "SVC"u8, [0xC0, 0xAF, 0x41]);
        AssertSameRows(bytes, expectWalk: true);
    }

    [Fact]
    public void Absent_resource_scope_status_and_values_encode_as_the_model_does()
    {
        var span = Valid();
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
        var span = Valid();
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
        AssertSameRows(Wrap(span, resource: null).ToByteArray(), expectWalk: true);
    }

    [Fact]
    public async Task A_request_the_walk_declines_goes_through_the_model_with_the_same_rows()
    {
        // Two resource fields in one ResourceSpans: protobuf merges them, which the walk leaves to Google.Protobuf.
        var first = Wrap(Valid(), new ProtoResource { Attributes = { new ProtoKeyValue { Key = "service.name", Value = new ProtoAnyValue { StringValue = "a" } } } });
        var extra = new ResourceSpans { Resource = new ProtoResource { Attributes = { new ProtoKeyValue { Key = "host.name", Value = new ProtoAnyValue { StringValue = "h" } } } } };
        var resourceSpans = first.ResourceSpans[0].ToByteArray().Concat(extra.ToByteArray()).ToArray();
        var request = new byte[] { 0x0A }.Concat(Varint(resourceSpans.Length)).Concat(resourceSpans).ToArray();
        Assert.False(OtlpTraceWire.TryWalk(request, new Counter()));
        Assert.True(OtlpTraceWire.TryCountSpans(request, out var spanFields));
        Assert.Equal(1, spanFields);

        using var spans = new RowBinaryWriter(1024);
        using var index = new RowBinaryWriter(1024);
        using (var content = new OtlpSpansContent([request, Wrap(Valid(), resource: null).ToByteArray()], index, gzip: false))
        {
            using var stream = new MemoryStream();
            await content.CopyToAsync(stream);
            spans.WriteRaw(stream.ToArray());
            Assert.Equal(2, content.SpanCount);
        }

        var (modelSpans, modelIndex) = ViaModel(request);
        var (secondSpans, secondIndex) = ViaModel(Wrap(Valid(), resource: null).ToByteArray());
        Assert.Equal(modelSpans.Concat(secondSpans).ToArray(), spans.WrittenMemory.ToArray());
        Assert.Equal(modelIndex.Concat(secondIndex).ToArray(), index.WrittenMemory.ToArray());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_quick_count_counts_what_the_model_holds(int seed)
    {
        var request = new RandomRequests(seed).Request();
        Assert.True(OtlpTraceWire.TryCountSpans(request.ToByteArray(), out var count));
        Assert.Equal(request.ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => s.Spans.Count)), count);
    }

    [Fact]
    public async Task A_request_that_does_not_parse_is_left_out_and_reported()
    {
        byte[] garbage = [0x0A, 0x05, 0x12, 0x03, 0x12, 0x01, 0xFF];
        Assert.True(OtlpTraceWire.TryCountSpans(garbage, out _));
        using var index = new RowBinaryWriter(1024);
        using var content = new OtlpSpansContent([garbage, Wrap(Valid(), resource: null).ToByteArray()], index, gzip: false);
        using var stream = new MemoryStream();
        await content.CopyToAsync(stream);
        Assert.Equal(1, content.SkippedRequests);
        Assert.Equal(1, content.SpanCount);
        Assert.Equal(ViaModel(Wrap(Valid(), resource: null).ToByteArray()).Spans, stream.ToArray());
    }

    [Fact]
    public void The_walk_declines_what_protobuf_would_merge_or_what_is_malformed()
    {
        var good = Wrap(Valid(), resource: null).ToByteArray();
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

        var shortId = Valid();
        shortId.TraceId = ByteString.CopyFrom(new byte[15]);
        Assert.False(OtlpTraceWire.TryWalk(Wrap(shortId, null).ToByteArray(), new Counter()));
    }

    private static ProtoSpan Valid() => new()
    {
        TraceId = ByteString.CopyFrom(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray()),
        SpanId = ByteString.CopyFrom(Enumerable.Range(1, 8).Select(i => (byte)(i * 3)).ToArray()),
        Name = "op",
        StartTimeUnixNano = (ulong)TestTelemetry.BaseNanos,
        EndTimeUnixNano = (ulong)TestTelemetry.BaseNanos + 1000,
    };

    private static ExportTraceServiceRequest Wrap(ProtoSpan span, ProtoResource? resource) => new()
    {
        ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { new ScopeSpans { Scope = new Mesh.Otlp.Proto.Common.InstrumentationScope { Name = "s" }, Spans = { span } } } } },
    };

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

    private static void Replace(byte[] haystack, ReadOnlySpan<byte> marker, byte[] replacement)
    {
        var at = haystack.AsSpan().IndexOf(marker);
        Assert.True(at >= 0);
        Assert.Equal(marker.Length, replacement.Length);
        replacement.CopyTo(haystack, at);
    }

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        var v = (uint)value;
        while (v >= 0x80)
        {
            bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }

        bytes.Add((byte)v);
        return [.. bytes];
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

    /// <summary>Seeded random OTLP requests using every field and value kind, with awkward text.</summary>
    private sealed class RandomRequests(int seed)
    {
        private static readonly string[] Texts = ["", "a", "service.name", "héllo", "日本語", "emoji 😀 pair", "<tag>&amp;'\"", "line\nbreak\ttab\0nul\u001f", "back\\slash", "\u2028\u2029", "+plus", new string('x', 300)];
        private readonly Random _random = new(seed);

        public ExportTraceServiceRequest Request()
        {
            var request = new ExportTraceServiceRequest();
            for (var r = _random.Next(1, 4); r > 0; r--)
            {
                var rs = new ResourceSpans { SchemaUrl = Pick() };
                if (_random.Next(4) != 0)
                {
                    rs.Resource = new ProtoResource { DroppedAttributesCount = (uint)_random.Next(3) };
                    if (_random.Next(3) != 0)
                    {
                        rs.Resource.Attributes.Add(new ProtoKeyValue { Key = "service.name", Value = Value(0) });
                    }

                    AddAttributes(rs.Resource.Attributes, 0);
                }

                for (var s = _random.Next(1, 3); s > 0; s--)
                {
                    var ss = new ScopeSpans { SchemaUrl = Pick() };
                    if (_random.Next(3) != 0)
                    {
                        ss.Scope = new Mesh.Otlp.Proto.Common.InstrumentationScope { Name = Pick(), Version = Pick(), DroppedAttributesCount = (uint)_random.Next(2) };
                        AddAttributes(ss.Scope.Attributes, 0);
                    }

                    for (var n = _random.Next(1, 5); n > 0; n--)
                    {
                        ss.Spans.Add(Span());
                    }

                    rs.ScopeSpans.Add(ss);
                }

                request.ResourceSpans.Add(rs);
            }

            return request;
        }

        private ProtoSpan Span()
        {
            var span = new ProtoSpan
            {
                TraceId = Bytes(16),
                SpanId = Bytes(8),
                ParentSpanId = _random.Next(3) == 0 ? ByteString.Empty : Bytes(8),
                TraceState = Pick(),
                Name = Pick(),
                Kind = (ProtoSpan.Types.SpanKind)_random.Next(0, 7),
                StartTimeUnixNano = (ulong)_random.NextInt64(),
                EndTimeUnixNano = (ulong)_random.NextInt64(),
                DroppedAttributesCount = (uint)_random.Next(3),
                DroppedEventsCount = (uint)_random.Next(3),
                DroppedLinksCount = (uint)_random.Next(3),
                Flags = (uint)_random.Next(0, 1024),
            };
            if (_random.Next(2) == 0)
            {
                span.Status = new ProtoStatus { Code = (ProtoStatus.Types.StatusCode)_random.Next(0, 4), Message = Pick() };
            }

            AddAttributes(span.Attributes, 0);
            for (var e = _random.Next(0, 3); e > 0; e--)
            {
                var ev = new ProtoSpan.Types.Event { TimeUnixNano = (ulong)_random.NextInt64(), Name = Pick(), DroppedAttributesCount = (uint)_random.Next(2) };
                AddAttributes(ev.Attributes, 0);
                span.Events.Add(ev);
            }

            for (var l = _random.Next(0, 3); l > 0; l--)
            {
                var link = new ProtoSpan.Types.Link
                {
                    TraceId = _random.Next(4) == 0 ? ByteString.Empty : Bytes(16),
                    SpanId = _random.Next(4) == 0 ? ByteString.Empty : Bytes(8),
                    TraceState = Pick(),
                    Flags = (uint)_random.Next(0, 3),
                    DroppedAttributesCount = (uint)_random.Next(2),
                };
                AddAttributes(link.Attributes, 0);
                span.Links.Add(link);
            }

            return span;
        }

        private void AddAttributes(Google.Protobuf.Collections.RepeatedField<ProtoKeyValue> into, int depth)
        {
            for (var a = _random.Next(0, depth == 0 ? 8 : 3); a > 0; a--)
            {
                into.Add(new ProtoKeyValue { Key = Pick(), Value = _random.Next(10) == 0 ? null : Value(depth) });
            }
        }

        private ProtoAnyValue Value(int depth)
        {
            var value = new ProtoAnyValue();
            switch (_random.Next(depth < 3 ? 9 : 7))
            {
                case 0:
                    break;
                case 1:
                case 2:
                    value.StringValue = Pick();
                    break;
                case 3:
                    value.BoolValue = _random.Next(2) == 0;
                    break;
                case 4:
                    value.IntValue = _random.Next(3) switch { 0 => _random.Next(-100, 100), 1 => _random.NextInt64(), _ => long.MinValue };
                    break;
                case 5:
                    value.DoubleValue = _random.Next(4) switch { 0 => _random.NextDouble() * 1e6, 1 => Math.Round(_random.NextDouble() * 100), 2 => BitConverter.Int64BitsToDouble(_random.NextInt64()), _ => double.NaN };
                    break;
                case 6:
                    value.BytesValue = Bytes(_random.Next(0, 20));
                    break;
                case 7:
                    value.ArrayValue = new ArrayValue();
                    for (var i = _random.Next(0, 4); i > 0; i--)
                    {
                        value.ArrayValue.Values.Add(Value(depth + 1));
                    }

                    break;
                default:
                    value.KvlistValue = new KeyValueList();
                    AddAttributes(value.KvlistValue.Values, depth + 1);
                    break;
            }

            return value;
        }

        private string Pick() => Texts[_random.Next(Texts.Length)];

        private ByteString Bytes(int length)
        {
            var bytes = new byte[length];
            _random.NextBytes(bytes);
            return ByteString.CopyFrom(bytes);
        }
    }
}
