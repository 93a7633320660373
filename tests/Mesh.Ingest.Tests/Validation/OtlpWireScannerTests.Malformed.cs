using Google.Protobuf;
using Xunit;
using static Mesh.Ingest.Tests.Validation.OtlpRequests;

namespace Mesh.Ingest.Tests.Validation;

/// <summary>Bytes Google.Protobuf refuses, and bytes it takes that the scanner deliberately leaves to the slow path.</summary>
public sealed partial class OtlpWireScannerTests
{
    private static readonly Dictionary<string, byte[]> Malformed = new()
    {
        ["truncated tag"] = [0x80],
        ["truncated length"] = [0x0A, 0x80],
        ["length past the end"] = [0x0A, 0x05, 0x00],
        ["negative length"] = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        ["varint of 11 bytes"] = [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        ["truncated varint"] = [0x10, 0xFF, 0xFF],
        ["truncated fixed64"] = [0x11, 0x00, 0x00, 0x00],
        ["truncated fixed32"] = [0x15, 0x00, 0x00],
        ["field number 0"] = [0x00],
        ["field number 0 length-delimited"] = [0x02, 0x00],
        ["wire type 6"] = [0x0E],
        ["wire type 7"] = [0x0F, 0x00],
        ["end group at the top"] = [0x0C],
        ["unterminated group"] = [0x13, 0x08, 0x01],
        ["nested length past its parent"] = Wire.Concat(Wire.Len(1, [0x12, 0x03]), Wire.Len(1)),
        ["end group in a span"] = Wire.Traces(Wire.Span([0x0C])),
        ["field 0 in a value"] = Wire.Traces(Wire.Span(Wire.Len(9, Wire.Attribute("k", [0x00])))),
        ["truncated value in a span"] = Wire.Traces(Wire.Span(Wire.Len(9, Wire.Attribute("k", [0x19, 0x01])))),
        ["realistic request cut in half"] = Traces(20).ToByteArray()[..1000],
    };

    /// <summary>What Google.Protobuf parses and the validator takes unmodified, but the scanner does not try to prove.</summary>
    private static readonly Dictionary<string, Case> Conservative = new()
    {
        ["repeated trace id (last wins)"] = T(Small, () => Wire.Traces(Wire.Span(Wire.Len(1, Wire.Id(16, 1))))),
        ["repeated resource (merged)"] = T(Small, () => Wire.Len(1, Wire.Len(1), Wire.Len(1), Wire.Len(2, Wire.Len(2, Wire.Span())))),
        ["repeated attribute value (merged)"] = T(Small, () => Wire.Traces(Wire.Span(Wire.Len(9, Wire.Attribute("k", Wire.Text(1, "a")), Wire.Len(2, Wire.Text(1, "b")))))),
        ["two values in one AnyValue"] = T(Small, () => Wire.Traces(Wire.Span(Wire.Len(9, Wire.Attribute("k", Wire.Concat(Wire.Text(1, "a"), Wire.VarintField(2, 1))))))),
        ["known field with another wire type"] = T(Small, () => Wire.Traces(Wire.Span(Wire.VarintField(5, 1)))),
        ["unknown group"] = T(Small, () => Wire.Traces(Wire.Span(Wire.Tag(20, 3), Wire.VarintField(1, 1), Wire.Tag(20, 4)))),
        ["UTF-8 over the limit, UTF-16 within"] = T(Small, () => Value(Str("ééééé"))),
        ["values nested past the depth limit"] = T(Small, () => Value(Nest(13, Str("x")))),
        ["reserved log field"] = L(Small, () => Wire.Logs(Wire.VarintField(4, 1))),
        ["tag wider than 32 bits (protobuf drops the top)"] = T(Small, () => Wire.Concat(Wire.Traces(Wire.Span()), Wire.Varint((1UL << 40) | (100 << 3)), Wire.Varint(1))),
    };

    public static TheoryData<string> MalformedCases => [.. Malformed.Keys];

    public static TheoryData<string> ConservativeCases => [.. Conservative.Keys];

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void TryScan_Malformed_NotCleanAndProtobufRejectsIt(string name)
    {
        var bytes = Malformed[name];
        foreach (var traces in new[] { true, false })
        {
            Assert.False(ValidationOracle.Scan(traces, bytes, Defaults, out _));
            Assert.Throws<InvalidProtocolBufferException>(() => traces
                ? Mesh.Otlp.Proto.Collector.Trace.ExportTraceServiceRequest.Parser.ParseFrom(bytes)
                : (IMessage)Mesh.Otlp.Proto.Collector.Logs.ExportLogsServiceRequest.Parser.ParseFrom(bytes));
        }
    }

    [Theory]
    [MemberData(nameof(ConservativeCases))]
    public void TryScan_UnusualButValid_LeavesItToTheSlowPath(string name)
    {
        var c = Conservative[name];
        var bytes = c.Build();

        Assert.True(ValidationOracle.IsClean(ValidationOracle.SlowPath(c.Traces, bytes, c.Limits)));
        Assert.False(ValidationOracle.Scan(c.Traces, bytes, c.Limits, out _));
    }

    [Fact]
    public void TryScanTraces_PaddedTagAndLength_ReadLikeProtobuf()
    {
        // Field 1 / wire type 2 as a 3-byte tag, its length as a 5-byte varint: odd but valid.
        var scope = Wire.Len(2, Wire.Len(2, Wire.Span()));
        byte[] bytes = [0x8A, 0x80, 0x00, (byte)(scope.Length | 0x80), 0x80, 0x80, 0x80, 0x00, .. scope];

        Assert.True(ValidationOracle.Scan(traces: true, bytes, Small, out var spans));
        Assert.Equal(1, spans);
        Assert.Equal(1, ValidationOracle.SlowPath(traces: true, bytes, Small)!.Value.Accepted);
    }

    [Fact]
    public void TryScanTraces_DepthAtTheLimit_IsClean()
    {
        // An attribute is depth 1, its value 2; an array level adds 2 (array, value), a list level 3 (list, pair,
        // value): 12 levels put the innermost value at 2 + 6 * 2 + 6 * 3 = 32.
        var bytes = Value(Nest(12, Str("x")));

        Assert.True(ValidationOracle.Scan(traces: true, bytes, Small, out _));
    }

    [Fact]
    public void TryScanTraces_NestedPastProtobufRecursionLimit_NotClean()
    {
        var bytes = Value(Nest(50, Str("x")));

        Assert.Null(ValidationOracle.SlowPath(traces: true, bytes, Small));
        Assert.False(ValidationOracle.Scan(traces: true, bytes, Small, out _));
    }
}
