using Google.Protobuf;
using Mesh.Otlp.Proto.Common;
using Mesh.Otlp.Proto.Logs;
using Mesh.Otlp.Proto.Trace;
using Xunit;
using static Mesh.Ingest.Tests.Validation.OtlpRequests;

namespace Mesh.Ingest.Tests.Validation;

/// <summary>
/// Differential tests: on every request here the scanner must say "clean" exactly when the slow path
/// (parse + validator) accepts everything unmodified, and count the same items.
/// </summary>
public sealed partial class OtlpWireScannerTests
{
    /// <summary>Small limits, so every limit can be reached with small requests.</summary>
    private static readonly TelemetryLimits Small = new() { MaxAttributes = 4, MaxValueLength = 8, MaxEventsPerSpan = 2, MaxLinksPerSpan = 2 };
    private static readonly TelemetryLimits Defaults = new();

    private sealed record Case(bool Traces, TelemetryLimits Limits, Func<byte[]> Build);

    private static readonly Dictionary<string, Case> Differential = new()
    {
        // Realistic traffic, and requests with nothing in them.
        ["realistic 200 spans"] = T(Defaults, () => Traces(200).ToByteArray()),
        ["realistic 1 span"] = T(Defaults, () => Traces(1).ToByteArray()),
        ["empty request"] = T(Defaults, () => []),
        ["resource without spans"] = T(Defaults, () => Wire.Len(1, Wire.Len(1))),
        ["scope without spans"] = T(Defaults, () => Wire.Len(1, Wire.Len(2, Wire.Text(3, "schema")))),
        ["several resources and scopes"] = T(Small, () => Wire.Concat(Wire.Traces(Wire.Span(), Wire.Span()), Wire.Len(1, Wire.Len(2), Wire.Len(2, Wire.Len(2, Wire.Span()))))),
        ["realistic logs"] = L(Defaults, () => Logs(100).ToByteArray()),
        ["empty logs request"] = L(Defaults, () => []),
        ["log without anything"] = L(Small, () => Wire.Logs([])),

        // Span ids.
        ["minimal span"] = T(Small, () => Wrap(Minimal()).ToByteArray()),
        ["trace id 15 bytes"] = T(Small, () => Span(s => s.TraceId = Id(15, 1))),
        ["trace id 17 bytes"] = T(Small, () => Span(s => s.TraceId = Id(17, 1))),
        ["trace id missing"] = T(Small, () => Span(s => s.TraceId = ByteString.Empty)),
        ["trace id all zero"] = T(Small, () => Span(s => s.TraceId = Id(16, 0))),
        ["span id 7 bytes"] = T(Small, () => Span(s => s.SpanId = Id(7, 1))),
        ["span id 9 bytes"] = T(Small, () => Span(s => s.SpanId = Id(9, 1))),
        ["span id missing"] = T(Small, () => Span(s => s.SpanId = ByteString.Empty)),
        ["span id all zero"] = T(Small, () => Span(s => s.SpanId = Id(8, 0))),
        ["trace id zero but last byte"] = T(Small, () => Span(s => s.TraceId = ByteString.CopyFrom([.. new byte[15], 1]))),
        ["span id zero but first byte"] = T(Small, () => Span(s => s.SpanId = ByteString.CopyFrom([1, .. new byte[7]]))),
        ["parent 8 bytes"] = T(Small, () => Span(s => s.ParentSpanId = Id(8, 3))),
        ["parent all zero"] = T(Small, () => Span(s => s.ParentSpanId = Id(8, 0))),
        ["parent 4 bytes"] = T(Small, () => Span(s => s.ParentSpanId = Id(4, 3))),
        ["parent 16 bytes"] = T(Small, () => Span(s => s.ParentSpanId = Id(16, 3))),
        ["parent explicitly empty"] = T(Small, () => Wire.Traces(Wire.Span(Wire.Len(4)))),
        ["second span zero id"] = T(Small, () => Wrap(Minimal(), new Span { TraceId = Id(16, 1), SpanId = Id(8, 0) }).ToByteArray()),
        ["second span bad width"] = T(Small, () => Wrap(Minimal(), new Span { TraceId = Id(16, 1), SpanId = Id(4, 1) }).ToByteArray()),

        // Links.
        ["link ok"] = T(Small, () => Span(s => s.Links.Add(Link(16, 8)))),
        ["link ids all zero"] = T(Small, () => Span(s => s.Links.Add(new Span.Types.Link { TraceId = Id(16, 0), SpanId = Id(8, 0) }))),
        ["link trace id 15"] = T(Small, () => Span(s => s.Links.Add(Link(15, 8)))),
        ["link trace id missing"] = T(Small, () => Span(s => s.Links.Add(Link(0, 8)))),
        ["link span id 7"] = T(Small, () => Span(s => s.Links.Add(Link(16, 7)))),
        ["link span id missing"] = T(Small, () => Span(s => s.Links.Add(Link(16, 0)))),
        ["links at limit"] = T(Small, () => Span(s => s.Links.Add([Link(16, 8), Link(16, 8)]))),
        ["links over limit"] = T(Small, () => Span(s => s.Links.Add([Link(16, 8), Link(16, 8), Link(16, 8)]))),
        ["bad link past the link limit"] = T(Small, () => Span(s => s.Links.Add([Link(16, 8), Link(16, 8), Link(3, 8)]))),

        // Events.
        ["events at limit"] = T(Small, () => Span(s => s.Events.Add([new Span.Types.Event { Name = "a" }, new Span.Types.Event { Name = "b" }]))),
        ["events over limit"] = T(Small, () => Span(s => s.Events.Add([new(), new(), new()]))),

        // Attribute counts on every level.
        ["span attributes at limit"] = T(Small, () => Span(s => s.Attributes.Add(Attrs(4)))),
        ["span attributes over limit"] = T(Small, () => Span(s => s.Attributes.Add(Attrs(5)))),
        ["resource attributes at limit"] = T(Small, () => Resource(4)),
        ["resource attributes over limit"] = T(Small, () => Resource(5)),
        ["scope attributes at limit"] = T(Small, () => Scope(4)),
        ["scope attributes over limit"] = T(Small, () => Scope(5)),
        ["event attributes at limit"] = T(Small, () => Span(s => s.Events.Add(Event(4)))),
        ["event attributes over limit"] = T(Small, () => Span(s => s.Events.Add(Event(5)))),
        ["link attributes at limit"] = T(Small, () => Span(s => s.Links.Add(LinkWith(4)))),
        ["link attributes over limit"] = T(Small, () => Span(s => s.Links.Add(LinkWith(5)))),
        ["resource repeated, over the limit once merged"] = T(Small, () => Wire.Len(1, Wire.Len(1, Attributes(3)), Wire.Len(1, Attributes(3)), Wire.Len(2, Wire.Len(2, Wire.Span())))),
        ["scope repeated, over the limit once merged"] = T(Small, () => Wire.Len(1, Wire.Len(2, Wire.Len(1, Attributes(2, field: 3)), Wire.Len(1, Attributes(3, field: 3)), Wire.Len(2, Wire.Span())))),
        ["log resource repeated, over the limit once merged"] = L(Small, () => Wire.Len(1, Wire.Len(1, Attributes(3)), Wire.Len(1, Attributes(3)), Wire.Len(2, Wire.Len(2)))),
        ["log scope repeated, over the limit once merged"] = L(Small, () => Wire.Len(1, Wire.Len(2, Wire.Len(1, Attributes(2, field: 3)), Wire.Len(1, Attributes(3, field: 3)), Wire.Len(2)))),
        ["kvlist longer than the attribute limit"] = T(Small, () => Span(s => s.Attributes.Add(Attr("k", Kv([.. Enumerable.Range(0, 9).Select(i => ($"k{i}", Int(i)))]))))),
        ["array longer than the attribute limit"] = T(Small, () => Span(s => s.Attributes.Add(Attr("k", new AnyValue { ArrayValue = Array([.. Enumerable.Range(0, 9).Select(i => Int(i))]) })))),

        // Value lengths, at any depth.
        ["string at limit"] = T(Small, () => Value(Str("12345678"))),
        ["string over limit"] = T(Small, () => Value(Str("123456789"))),
        ["bytes at limit"] = T(Small, () => Value(new AnyValue { BytesValue = Id(8, 1) })),
        ["bytes over limit"] = T(Small, () => Value(new AnyValue { BytesValue = Id(9, 1) })),
        ["empty string"] = T(Small, () => Value(Str(string.Empty))),
        ["two-byte chars within limit"] = T(Small, () => Value(Str("éééé"))),
        ["emoji within limit"] = T(Small, () => Value(Str("😀😀"))),
        ["emoji over limit"] = T(Small, () => Value(Str("😀😀😀😀😀"))),
        ["long key"] = T(Small, () => Span(s => s.Attributes.Add(Attr(new string('k', 100), Int(1))))),
        ["long name and trace state"] = T(Small, () => Span(s => (s.Name, s.TraceState) = (new string('n', 100), new string('t', 100)))),
        ["long string in array"] = T(Small, () => Value(new AnyValue { ArrayValue = Array(Str("ok"), Str("123456789")) })),
        ["long string in kvlist"] = T(Small, () => Value(Kv(("a", Str("ok")), ("b", Str("123456789"))))),
        ["long bytes deep"] = T(Small, () => Value(Nest(10, new AnyValue { BytesValue = Id(9, 1) }))),
        ["short string deep"] = T(Small, () => Value(Nest(10, Str("12345678")))),
        ["value-less attribute"] = T(Small, () => Span(s => s.Attributes.Add(new KeyValue { Key = "k" }))),
        ["unset value"] = T(Small, () => Value(new AnyValue())),
        ["empty array and kvlist"] = T(Small, () => Value(new AnyValue { ArrayValue = new ArrayValue() }, new AnyValue { KvlistValue = new KeyValueList() })),
        ["long event name and status message"] = T(Small, () => Span(s => { s.Events.Add(new Span.Types.Event { Name = new string('e', 50) }); s.Status = new Status { Message = new string('m', 50), Code = Status.Types.StatusCode.Ok }; })),

        // Wire details Google.Protobuf accepts.
        ["unknown fields everywhere"] = T(Small, () => Wire.Concat(
            Wire.Len(1, Wire.Len(2, Wire.Len(2, Wire.Span(
                Wire.Len(9, Wire.Text(1, "k"), Wire.Len(2, Wire.Text(1, "v"), Wire.VarintField(20, 1)), Wire.Fixed32(3, 1)),
                Wire.Fixed64(17, 5), Wire.Len(300, Wire.Id(4)))), Wire.VarintField(9, 9)), Wire.Len(1000, Wire.Id(3))),
            Wire.Fixed32(2, 7), Wire.VarintField(536_870_911, ulong.MaxValue))),
        ["resource entity_refs as unknown"] = T(Small, () => Wire.Len(1, Wire.Len(1, Wire.Len(3, Wire.Text(1, "service"))), Wire.Len(2, Wire.Len(2, Wire.Span())))),
        ["invalid UTF-8 in strings"] = T(Small, () => Wire.Traces(Wire.Span(Wire.Len(5, [0xC3, 0x28]), Wire.Len(9, Wire.Len(1, [0xFF]), Wire.Len(2, Wire.Len(1, [0xED, 0xA0, 0x80])))))),
        ["invalid UTF-8 over the byte limit"] = T(Small, () => Wire.Traces(Wire.Span(Wire.Len(9, Wire.Text(1, "k"), Wire.Len(2, Wire.Len(1, Wire.Id(9, 0xFF))))))),
        ["negative enum"] = T(Small, () => Span(s => s.Kind = (Span.Types.SpanKind)(-1))),
        ["all scalar fields"] = T(Small, () => Span(s => (s.DroppedAttributesCount, s.DroppedEventsCount, s.DroppedLinksCount, s.Flags) = (1, 2, 3, uint.MaxValue))),

        // Logs.
        ["log trace id 16 and span id 8"] = L(Small, () => Log(l => (l.TraceId, l.SpanId) = (Id(16, 1), Id(8, 1)))),
        ["log ids all zero"] = L(Small, () => Log(l => (l.TraceId, l.SpanId) = (Id(16, 0), Id(8, 0)))),
        ["log trace id 15"] = L(Small, () => Log(l => l.TraceId = Id(15, 1))),
        ["log span id 7"] = L(Small, () => Log(l => l.SpanId = Id(7, 1))),
        ["log trace id without span id"] = L(Small, () => Log(l => l.TraceId = Id(16, 1))),
        ["log attributes at limit"] = L(Small, () => Log(l => l.Attributes.Add(Attrs(4)))),
        ["log attributes over limit"] = L(Small, () => Log(l => l.Attributes.Add(Attrs(5)))),
        ["log body at limit"] = L(Small, () => Log(l => l.Body = Str("12345678"))),
        ["log body over limit"] = L(Small, () => Log(l => l.Body = Str("123456789"))),
        ["log body long in kvlist"] = L(Small, () => Log(l => l.Body = Kv(("m", Nest(3, Str("123456789")))))),
        ["log long severity text and event name"] = L(Small, () => Log(l => (l.SeverityText, l.EventName) = (new string('s', 50), new string('e', 50)))),
        ["log resource attributes over limit"] = L(Small, () => { var r = Wrap(new LogRecord()); r.ResourceLogs[0].Resource = new() { Attributes = { Attrs(5) } }; return r.ToByteArray(); }),
        ["log scope attributes over limit"] = L(Small, () => { var r = Wrap(new LogRecord()); r.ResourceLogs[0].ScopeLogs[0].Scope = new() { Attributes = { Attrs(5) } }; return r.ToByteArray(); }),
    };

    public static TheoryData<string> DifferentialCases => [.. Differential.Keys];

    [Theory]
    [MemberData(nameof(DifferentialCases))]
    public void TryScan_DifferentialCase_CleanExactlyWhenSlowPathAcceptsUnmodified(string name)
    {
        var c = Differential[name];
        var bytes = c.Build();

        var clean = ValidationOracle.Scan(c.Traces, bytes, c.Limits, out var items);
        var slow = ValidationOracle.SlowPath(c.Traces, bytes, c.Limits);

        Assert.Equal(ValidationOracle.IsClean(slow), clean);
        if (clean)
        {
            Assert.Equal(slow!.Value.Accepted, items);
        }
    }

    [Fact]
    public void TryScan_DifferentialCases_CoverBothAnswers()
    {
        var clean = Differential.Values.Count(c => ValidationOracle.Scan(c.Traces, c.Build(), c.Limits, out _));

        Assert.InRange(clean, 30, Differential.Count - 30);
    }

    [Fact]
    public void TryScanTraces_Realistic_CountsEverySpan()
    {
        Assert.True(ValidationOracle.Scan(traces: true, Traces(537, spansPerResource: 50).ToByteArray(), Defaults, out var spans));
        Assert.Equal(537, spans);
    }

    [Fact]
    public void TryScanLogs_Realistic_CountsEveryRecord()
    {
        Assert.True(ValidationOracle.Scan(traces: false, Logs(123).ToByteArray(), Defaults, out var records));
        Assert.Equal(123, records);
    }

    private static Case T(TelemetryLimits limits, Func<byte[]> build) => new(true, limits, build);

    private static Case L(TelemetryLimits limits, Func<byte[]> build) => new(false, limits, build);

    private static byte[] Span(Action<Span> edit)
    {
        var span = Minimal();
        edit(span);
        return Wrap(span).ToByteArray();
    }

    private static byte[] Log(Action<LogRecord> edit)
    {
        var log = new LogRecord { Body = Str("hi") };
        edit(log);
        return Wrap(log).ToByteArray();
    }

    private static byte[] Value(params AnyValue[] values) =>
        Span(s => s.Attributes.Add(values.Select((v, i) => Attr($"k{i}", v))));

    private static byte[] Resource(int attributes)
    {
        var request = Wrap(Minimal());
        request.ResourceSpans[0].Resource = new() { Attributes = { Attrs(attributes) } };
        return request.ToByteArray();
    }

    private static byte[] Scope(int attributes)
    {
        var request = Wrap(Minimal());
        request.ResourceSpans[0].ScopeSpans[0].Scope = new() { Name = "s", Attributes = { Attrs(attributes) } };
        return request.ToByteArray();
    }

    private static Span.Types.Event Event(int attributes) => new() { Name = "e", Attributes = { Attrs(attributes) } };

    private static Span.Types.Link Link(int traceId, int spanId) => new() { TraceId = Id(traceId, 5), SpanId = Id(spanId, 5) };

    private static Span.Types.Link LinkWith(int attributes)
    {
        var link = Link(16, 8);
        link.Attributes.Add(Attrs(attributes));
        return link;
    }

    /// <summary>Encoded attribute fields (field 1 of a resource unless told) with short string values.</summary>
    private static byte[] Attributes(int count, int field = 1) =>
        Wire.Concat([.. Enumerable.Range(0, count).Select(i => Wire.Len(field, Wire.Attribute($"a{i}", Wire.Text(1, "v"))))]);

    private static IEnumerable<KeyValue> Attrs(int count) => Enumerable.Range(0, count).Select(i => Attr($"a{i}", Str("v")));

    /// <summary><paramref name="levels"/> alternating arrays and kvlists around <paramref name="inner"/>.</summary>
    private static AnyValue Nest(int levels, AnyValue inner)
    {
        for (var i = 0; i < levels; i++)
        {
            inner = i % 2 == 0 ? new AnyValue { ArrayValue = Array(Int(i), inner) } : Kv(("x", Str("y")), ($"l{i}", inner));
        }

        return inner;
    }
}
