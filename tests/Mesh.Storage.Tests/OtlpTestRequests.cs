using Google.Protobuf;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Proto.Common;
using Xunit;
using ProtoAnyValue = Mesh.Otlp.Proto.Common.AnyValue;
using ProtoKeyValue = Mesh.Otlp.Proto.Common.KeyValue;
using ProtoResource = Mesh.Otlp.Proto.Resource.Resource;
using ProtoSpan = Mesh.Otlp.Proto.Trace.Span;
using ProtoStatus = Mesh.Otlp.Proto.Trace.Status;
using ResourceSpans = Mesh.Otlp.Proto.Trace.ResourceSpans;
using ScopeSpans = Mesh.Otlp.Proto.Trace.ScopeSpans;
using Span = Mesh.Core.Telemetry.Span;

namespace Mesh.Storage.Tests;

/// <summary>OTLP requests for the wire-path tests: hand-made edge cases and seeded random ones.</summary>
internal static class OtlpTestRequests
{
    public static ProtoSpan Valid() => new()
    {
        TraceId = ByteString.CopyFrom(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray()),
        SpanId = ByteString.CopyFrom(Enumerable.Range(1, 8).Select(i => (byte)(i * 3)).ToArray()),
        Name = "op",
        StartTimeUnixNano = (ulong)TestTelemetry.BaseNanos,
        EndTimeUnixNano = (ulong)TestTelemetry.BaseNanos + 1000,
    };

    public static ExportTraceServiceRequest Wrap(ProtoSpan span, ProtoResource? resource) => new()
    {
        ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { new ScopeSpans { Scope = new Mesh.Otlp.Proto.Common.InstrumentationScope { Name = "s" }, Spans = { span } } } } },
    };

    public static void Replace(byte[] haystack, ReadOnlySpan<byte> marker, byte[] replacement)
    {
        var at = haystack.AsSpan().IndexOf(marker);
        Assert.True(at >= 0);
        Assert.Equal(marker.Length, replacement.Length);
        replacement.CopyTo(haystack, at);
    }

    public static byte[] Varint(int value)
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

    /// <summary>Seeded random OTLP requests using every field and value kind, with awkward text.</summary>
    public sealed class RandomRequests(int seed)
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
