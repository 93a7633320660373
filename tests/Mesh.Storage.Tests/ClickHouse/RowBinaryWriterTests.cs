using System.Text;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse;

public sealed class RowBinaryWriterTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void WriteVarUInt_Values_AreLeb128(ulong value, byte[] expected)
    {
        using var writer = new RowBinaryWriter(16);

        writer.WriteVarUInt(value);

        Assert.Equal(expected, writer.WrittenMemory.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("exactly forty-two characters long, really!")]
    [InlineData("✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓")]
    [InlineData("a string long enough to need the two-pass path and a two-byte length prefix, with ✓ and 🎉 in it …………………………………………")]
    public void WriteString_AnyLength_IsLengthPrefixedUtf8(string value)
    {
        using var writer = new RowBinaryWriter(4);

        writer.WriteString(value);

        Assert.Equal(value, ReadString(writer.WrittenMemory.Span, out var consumed));
        Assert.Equal(writer.Length, consumed);
    }

    [Fact]
    public void Writes_PastTheInitialBuffer_GrowWithoutLosingBytes()
    {
        using var writer = new RowBinaryWriter(16);
        for (var i = 0; i < 10_000; i++)
        {
            writer.WriteUInt64((ulong)i);
        }

        Assert.Equal(80_000, writer.Length);
        Assert.Equal(9_999UL, BitConverter.ToUInt64(writer.WrittenMemory.Span[^8..]));
    }

    public static TheoryData<AnyValue> Values =>
    [
        AnyValue.Of("text ✓"),
        AnyValue.Of(true),
        AnyValue.Of(false),
        AnyValue.Of(0L),
        AnyValue.Of(long.MinValue),
        AnyValue.Of(long.MaxValue),
        AnyValue.Of(3.25),
        AnyValue.Of(2.0),
        AnyValue.Of(-0.0),
        AnyValue.Of(1e300),
        AnyValue.Of(5e-324),
        AnyValue.Of(0.1 + 0.2),
        AnyValue.Of(double.NaN),
        AnyValue.Of(double.PositiveInfinity),
        AnyValue.OfBytes([0, 1, 255]),
        AnyValue.OfArray([AnyValue.Of("a"), AnyValue.Of(1L)]),
        AnyValue.OfKvList([KeyValue.Of("k", "v")]),
        AnyValue.Empty,
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void WriteDisplayValue_AnyKind_EqualsToDisplayString(AnyValue value)
    {
        using var writer = new RowBinaryWriter(8);

        TelemetryColumns.WriteDisplayValue(writer, value);

        Assert.Equal(value.ToDisplayString(), ReadString(writer.WrittenMemory.Span, out _));
    }

    private static string ReadString(ReadOnlySpan<byte> bytes, out int consumed)
    {
        ulong length = 0;
        var shift = 0;
        var i = 0;
        while (true)
        {
            var b = bytes[i++];
            length |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }

            shift += 7;
        }

        consumed = i + (int)length;
        return Encoding.UTF8.GetString(bytes.Slice(i, (int)length));
    }
}
