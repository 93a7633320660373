using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Mesh.Core.Telemetry;

/// <summary>An 8-byte span id. The all-zero value is <see cref="Empty"/>: "no parent" on a span, "no span" on a log.</summary>
public readonly struct SpanId : IEquatable<SpanId>
{
    public const int ByteLength = 8;

    public SpanId(ulong value) => Value = value;

    public static SpanId Empty => default;

    public ulong Value { get; }

    public bool IsEmpty => Value == 0;

    public static bool TryRead(ReadOnlySpan<byte> bytes, out SpanId id)
    {
        if (bytes.Length != ByteLength)
        {
            id = default;
            return false;
        }

        id = new SpanId(BinaryPrimitives.ReadUInt64BigEndian(bytes));
        return true;
    }

    public static bool TryParse([NotNullWhen(true)] string? hex, out SpanId id)
    {
        id = default;
        if (hex is null || hex.Length != 16)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[ByteLength];
        return HexCodec.TryDecode(hex, bytes) && TryRead(bytes, out id);
    }

    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Value);

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        WriteTo(bytes);
        return bytes;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public bool Equals(SpanId other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is SpanId other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public static bool operator ==(SpanId left, SpanId right) => left.Equals(right);

    public static bool operator !=(SpanId left, SpanId right) => !left.Equals(right);
}
