using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Mesh.Core.Telemetry;

/// <summary>A 16-byte W3C/OTLP trace id. The all-zero value is <see cref="Empty"/> and is invalid on a span.</summary>
public readonly struct TraceId : IEquatable<TraceId>, IComparable<TraceId>
{
    public const int ByteLength = 16;

    public TraceId(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    public static TraceId Empty => default;

    public ulong High { get; }

    public ulong Low { get; }

    public bool IsEmpty => High == 0 && Low == 0;

    /// <summary>Reads a trace id from exactly 16 big-endian bytes (the OTLP wire form).</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out TraceId id)
    {
        if (bytes.Length != ByteLength)
        {
            id = default;
            return false;
        }

        id = new TraceId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        return true;
    }

    public static bool TryParse([NotNullWhen(true)] string? hex, out TraceId id)
    {
        id = default;
        if (hex is null || hex.Length != 32)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[ByteLength];
        if (!HexCodec.TryDecode(hex, bytes))
        {
            return false;
        }

        return TryRead(bytes, out id);
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Lower-case hex, 32 characters: the form used by W3C traceparent, OTLP JSON and the API.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public bool Equals(TraceId other) => High == other.High && Low == other.Low;

    public override bool Equals(object? obj) => obj is TraceId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(High, Low);

    public int CompareTo(TraceId other)
    {
        var c = High.CompareTo(other.High);
        return c != 0 ? c : Low.CompareTo(other.Low);
    }

    public static bool operator ==(TraceId left, TraceId right) => left.Equals(right);

    public static bool operator !=(TraceId left, TraceId right) => !left.Equals(right);

    public static bool operator <(TraceId left, TraceId right) => left.CompareTo(right) < 0;

    public static bool operator >(TraceId left, TraceId right) => left.CompareTo(right) > 0;

    public static bool operator <=(TraceId left, TraceId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(TraceId left, TraceId right) => left.CompareTo(right) >= 0;
}
